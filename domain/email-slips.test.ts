import { describe, expect, it } from 'vitest';
import { likelyMeantEmail } from './email-slips.js';

describe('likelyMeantEmail', () => {
  it.each([
    ['ana@gmial.com', 'ana@gmail.com'],
    ['ana@gamil.com', 'ana@gmail.com'],
    ['ana@gmail.con', 'ana@gmail.com'],
    ['ana@gmail.co', 'ana@gmail.com'],
    ['ana@gmaill.com', 'ana@gmail.com'],
    ['ana@hotmial.com', 'ana@hotmail.com'],
    ['ana@hotmal.com', 'ana@hotmail.com'],
    ['ana@hotmial.con', 'ana@hotmail.com'],
    ['ana@hotmail.com.co', 'ana@hotmail.com'],
    ['ana@outlok.com', 'ana@outlook.com'],
    ['ana@yaho.com', 'ana@yahoo.com'],
    ['ana@yahoo.co', 'ana@yahoo.com'],
    ['ana@icloud.con', 'ana@icloud.com'],
    ['ana@comfama.con', 'ana@comfama.com'],
  ])('%s → %s', (typed, meant) => {
    expect(likelyMeantEmail(typed)).toBe(meant);
  });

  it.each([
    'ana@gmail.com',
    'ana@hotmail.es',
    'ana@outlook.es',
    'ana@ymail.com',
    'ana@mail.com',
    'ana@email.com',
    'ana@correo.com',
    'ana@comfama.com.co',
    'ana@minsalud.gov.co',
    'ana@empresa.co',
    'ana@une.net.co',
    'ana@hotmail.fr',
  ])('%s is left as typed', (typed) => {
    expect(likelyMeantEmail(typed)).toBeUndefined();
  });
});
