/** PSRP results as text and JSON: output objects to JSON, the JSON cap, records rendered as PowerShell's console shows them. */
import { enumValue, psDictionary, psList, psPropertyBag, PsObject, PsScalar } from '../../../src/psrp';
import { outputJson, plainText, psValueToJson, recordText } from '../../../src/host/sessions/psrp-text';

test('output objects become JSON: primitives, bigints, scalars, lists, dictionaries, property bags and enums', () => {
  expect(psValueToJson(null)).toBeNull();
  expect(psValueToJson(12n)).toBe(12);
  expect(psValueToJson(2n ** 60n)).toBe('1152921504606846976');
  expect(psValueToJson(new PsScalar('G', '0f8fad5b-d9cb-469f-a165-70867728950e'))).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
  expect(psValueToJson(Uint8Array.from([1, 2, 3]))).toBe('AQID');
  expect(psValueToJson(psList(['a', 1]))).toEqual(['a', 1]);
  expect(psValueToJson(psDictionary([['k', true]]))).toEqual({ k: true });
  expect(psValueToJson(psPropertyBag({ Name: 'svc', Count: 2 }))).toEqual({ Name: 'svc', Count: 2 });
  // ConvertTo-Json writes an enum as its number.
  expect(psValueToJson(enumValue('PSThreadOptions', 'ReuseThread'))).toBe(2);
  expect(psValueToJson(new PsObject({ typeNames: ['X'], toStringText: 'shown' }))).toBe('shown');
});

test('the JSON array stays valid under the cap by keeping the first objects', () => {
  const values = Array.from({ length: 100 }, (_, i) => `item-${i}`);
  const { json, dropped } = outputJson(values, 200);
  expect(json.length).toBeLessThanOrEqual(200);
  const kept = JSON.parse(json) as string[];
  expect(kept).toEqual(values.slice(0, kept.length));
  expect(dropped).toBe(100 - kept.length);
  expect(outputJson(['a'], 200)).toEqual({ json: '["a"]', dropped: 0 });
});

test('records render with their prefixes; errors with the CategoryInfo and FullyQualifiedErrorId lines', () => {
  const category = {
    code: 13,
    name: 'ObjectNotFound',
    activity: 'Get-Item',
    reason: 'ItemNotFoundException',
    targetName: 'C:\\x',
    targetType: 'String',
    line: 'ObjectNotFound: (C:\\x:String) [Get-Item], ItemNotFoundException',
  };
  const record = {
    message: "Cannot find path 'C:\\x'",
    fullyQualifiedErrorId: 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand',
    category,
    targetObject: undefined,
    raw: new PsObject(),
  };
  expect(recordText({ kind: 'error', pipelineId: 'p', record })).toBe(
    "Get-Item: Cannot find path 'C:\\x'\n    + CategoryInfo          : ObjectNotFound: (C:\\x:String) [Get-Item], ItemNotFoundException\n" +
      '    + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand\n',
  );
  expect(recordText({ kind: 'warning', pipelineId: 'p', record: { message: 'careful', raw: null } })).toBe('WARNING: careful\n');
  expect(recordText({ kind: 'verbose', pipelineId: 'p', record: { message: 'v', raw: null } })).toBe('VERBOSE: v\n');
  expect(recordText({ kind: 'output', pipelineId: 'p', value: 'x' })).toBeUndefined();
  expect(plainText(['a', 1, null])).toBe('a\n1\n\n');
});
