// Pure pieces of the Dolist contacts area: default variable names, the CSV text, the request
// enumerations (OperationMode, origins, group styles) and the unsubscribe KeyCode.
import { describe, expect, it } from 'vitest';
import { operationModeOf, originOf } from '../../src/apis/dolist/contact-interests.js';
import { csvText } from '../../src/apis/dolist/contacts-csv.js';
import { variableNameOf } from '../../src/apis/dolist/field-definitions.js';
import { styleOf } from '../../src/apis/dolist/interest-catalogue.js';
import { unsubscribeKeyCode } from '../../src/apis/dolist/unsubscribe-form.js';
import type { Workspace } from '../../src/core/workspace.js';

describe('contacts area domain', () => {
  it('derives a field variable from its name', () => {
    expect(variableNameOf('Numéro client')).toBe('NumeroClient');
    expect(variableNameOf("Prénom de l'ami")).toBe('PrenomDeLAmi');
    expect(variableNameOf('2e adresse')).toBe('Champ2eAdresse');
  });

  it('writes ;-separated CSV, quoting what needs it', () => {
    expect(csvText(['A', 'B'], [[1, 'x;y'], [null, 'say "hi"'], [true, 'a\nb']])).toBe('A;B\r\n1;"x;y"\r\n;"say ""hi"""\r\ntrue;"a\nb"\r\n');
  });

  it('reads OperationMode, origins and styles in any case, refusing others with [36]', () => {
    expect(operationModeOf('replace')).toBe('Replace');
    expect(() => operationModeOf('merge')).toThrow(expect.objectContaining({ details: expect.objectContaining({ code: '36', field: 'OperationMode' }) }));
    expect(originOf(undefined)).toBe(1);
    expect(originOf('import')).toBe(4);
    expect(originOf('5')).toBe(5);
    expect(() => originOf('9')).toThrow(expect.objectContaining({ details: expect.objectContaining({ code: '36' }) }));
    expect(styleOf(' radio ')).toBe('Radio');
    expect(() => styleOf('list')).toThrow(expect.objectContaining({ details: expect.objectContaining({ code: '36', field: 'Style' }) }));
  });

  it('makes a KeyCode per workspace, contact and sending, the same every time', () => {
    const ws = (id: string) => ({ id }) as Workspace;
    const k = unsubscribeKeyCode(ws('a'), 1000001, 7001);
    expect(k).toMatch(/^[0-9a-f]{20}$/);
    expect(unsubscribeKeyCode(ws('a'), 1000001, 7001)).toBe(k);
    expect(unsubscribeKeyCode(ws('b'), 1000001, 7001)).not.toBe(k);
    expect(unsubscribeKeyCode(ws('a'), 1000002, 7001)).not.toBe(k);
    expect(unsubscribeKeyCode(ws('a'), 1000001, 7002)).not.toBe(k);
  });
});
