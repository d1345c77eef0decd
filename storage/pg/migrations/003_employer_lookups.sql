-- The employer roles of a person, found without reading every role: as its legal representative
-- (`rl`) and as its delegate (`delegado.citizenId`, a field of an object field: findBy's path form,
-- written as pg-store.ts writes its condition).
create index records_by_rl on records (collection, (data ->> 'rl'));
create index "records_by_delegado_citizenId" on records (collection, (data #>> '{"delegado","citizenId"}'));
