-- The domain Store (storage/pg/pg-store.ts): every collection in one table, records as JSON.
-- `json`, not `jsonb`: the record comes back exactly as written (key order included), as from the
-- other adapters. `seq` gives list() its insertion order; an update keeps the row, so a replaced
-- record keeps its place.
create table records (
  collection text not null,
  id text not null,
  seq bigint generated always as identity,
  data json not null,
  primary key (collection, id)
);

create index records_order on records (collection, seq);

-- Unique fields (UNIQUE_FIELDS in domain/ports.ts) as real unique constraints: one partial index
-- per (collection, field), on the JSON type and text of the value, so that absent and null values
-- (SQL NULL here) are never checked, as in the other adapters. pg-store.ts names them the same way
-- and creates the ones of other collections (and fields added later) when it opens.
create unique index records_unique_citizens_email on records (json_typeof(data -> 'email'), (data ->> 'email')) where collection = 'citizens';
create unique index "records_unique_asignaciones_clientId" on records (json_typeof(data -> 'clientId'), (data ->> 'clientId')) where collection = 'asignaciones';
create unique index "records_unique_casosMesa_numero" on records (json_typeof(data -> 'numero'), (data ->> 'numero')) where collection = 'casosMesa';

-- The fields the domain looks records up by (Repository.findBy), in any collection.
create index "records_by_citizenId" on records (collection, (data ->> 'citizenId'));
create index records_by_nit on records (collection, (data ->> 'nit'));
create index records_by_subject on records (collection, (data ->> 'subject'));
create index records_by_owner on records (collection, (data ->> 'owner'));
create index records_by_persona on records (collection, (data ->> 'persona'));
create index "records_by_agenteId" on records (collection, (data ->> 'agenteId'));
create index records_by_estado on records (collection, (data ->> 'estado'));
create index records_by_por on records (collection, (data ->> 'por'));
