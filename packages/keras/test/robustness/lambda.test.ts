/**
 * Loading never runs code from a file: a Lambda layer resolves only to a function registered by
 * name (registerLambda or customObjects); an unregistered name fails saying how to register it;
 * Python lambdas stored as code (Keras 2 bytecode, Keras 3 `__lambda__`) are refused unread.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { ops, type Sym } from '@keras-ts/spec';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Dense, Input, Lambda, Model, modelFromJSON, onlyOutput, registerLambda, Sequential, tensor } from '../../src/index.js';
import { loadModel, saveModel } from '../../src/saving/index.js';
import { readZipEntries } from '../../src/saving/zip-reader.js';
import { prepare } from './properties.js';

prepare();
registerLambda('robustness_double', (x) => ops.mul(x as Sym, 2));

const dir = mkdtempSync(join(tmpdir(), 'keras-ts-lambda-'));

/** A model JSON whose Lambda layer's function is `fn` with `function_type` `type` (Keras 2 form). */
function lambdaModel(fn: unknown, type: unknown = 'function', extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    class_name: 'Sequential',
    config: {
      name: 'with_lambda',
      layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], name: 'in' } },
        { class_name: 'Lambda', config: { name: 'lam', function: fn, function_type: type, module: '__main__', output_shape: null, output_shape_type: 'raw', arguments: {}, ...extra } },
      ],
    },
  });
}

/** Records every piece of code compiled (eval, Function) while a test runs. */
let compiled: string[] = [];
const realEval = globalThis.eval;
const RealFunction = globalThis.Function;
beforeEach(() => {
  compiled = [];
  (globalThis as { __pwned?: boolean }).__pwned = false;
  globalThis.eval = ((code: string) => {
    compiled.push(`eval: ${code}`);
    return realEval(code);
  }) as typeof eval;
  globalThis.Function = new Proxy(RealFunction, {
    construct(target, args) {
      compiled.push(`Function: ${args.join(', ')}`);
      return Reflect.construct(target, args);
    },
    apply(target, self, args) {
      compiled.push(`Function: ${args.join(', ')}`);
      return Reflect.apply(target, self, args);
    },
  });
});
afterEach(() => {
  globalThis.eval = realEval;
  globalThis.Function = RealFunction;
  // zod compiles its own parsers from schemas (no config text in them): no compiled code may
  // contain anything taken from a config.
  expect(compiled.filter((c) => /__pwned|my_scale|not_registered|robustness_double|4wEAAA/.test(c))).toEqual([]);
  expect((globalThis as { __pwned?: boolean }).__pwned).toBe(false);
});

const PAYLOAD = 'globalThis.__pwned = true';

describe('Lambda layers in configs and files', () => {
  test('an unregistered function name fails, saying how to register it', () => {
    expect(() => modelFromJSON(lambdaModel('my_scale'))).toThrow(
      "Lambda 'lam': the function 'my_scale' is not registered. Register it before creating or loading the layer: registerLambda('my_scale', (inputs, options) => ...), or pass it in customObjects: { \"my_scale\": fn }. keras-ts never evaluates code from a config",
    );
  });

  test('a registered name, or one given in customObjects, resolves to that function', async () => {
    const m = modelFromJSON(lambdaModel('robustness_double'));
    expect(Array.from(onlyOutput(await m.predict(tensor([[1, 2, 3]]))).data)).toEqual([2, 4, 6]);
    const viaCustom = modelFromJSON(lambdaModel('my_triple'), { my_triple: (x: Sym) => ops.mul(x, 3) });
    expect(Array.from(onlyOutput(await viaCustom.predict(tensor([[1, 2, 3]]))).data)).toEqual([3, 6, 9]);
  });

  test('code in the function field is a name to look up, never code to run', () => {
    // As a "function" (a name), the payload is only a name nobody registered.
    expect(() => modelFromJSON(lambdaModel(PAYLOAD))).toThrow(`the function '${PAYLOAD}' is not registered`);
    // As Keras 2's "lambda" (marshalled Python bytecode, base64) it is refused without being read.
    expect(() => modelFromJSON(lambdaModel(['4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMIAAAAfABkARQAUwCpAk7pAgAAAKkAKQHaAXhyAgAAAHICAAAA+gc8c3RkaW4+', null, null], 'lambda'))).toThrow(
      "Lambda 'lam': the function is a Python lambda stored as code; keras-ts never evaluates code from a config. Write it as a TypeScript function, registerLambda('name', fn), and save the model again with that name",
    );
    expect(() => modelFromJSON(lambdaModel(PAYLOAD, 'lambda'))).toThrow('keras-ts never evaluates code from a config');
    // Keras 3's form of a Python lambda.
    const keras3 = { class_name: '__lambda__', config: { code: PAYLOAD, defaults: null, closure: null } };
    expect(() => modelFromJSON(lambdaModel(keras3, undefined))).toThrow('the function is a Python lambda stored as code');
    // A mask given as code, and an output shape given as a function, are refused too.
    expect(() => modelFromJSON(lambdaModel('robustness_double', 'function', { mask: PAYLOAD, mask_type: 'lambda' }))).toThrow('the mask is a Python lambda stored as code');
    expect(() => modelFromJSON(lambdaModel('robustness_double', 'function', { output_shape: PAYLOAD, output_shape_type: 'lambda' }))).toThrow(
      `output_shape of type "lambda" is not supported`,
    );
  });

  test('a .keras file naming an unregistered function fails naming the file and how to register it; customObjects loads it', async () => {
    const x = Input({ shape: [3] });
    const y = new Dense({ units: 2, name: 'd' }).apply(new Lambda({ function: 'robustness_double', name: 'lam' }).apply(x));
    const file = join(dir, 'lambda.keras');
    await saveModel(new Model({ inputs: x, outputs: y }), file);
    const { entries } = readZipEntries(new Uint8Array(readFileSync(file)), file, ['config.json', 'metadata.json', 'model.weights.h5']);
    const config = new TextDecoder().decode(entries['config.json']).replace(/robustness_double/g, 'not_registered_anywhere');
    const renamed = join(dir, 'renamed.keras');
    writeFileSync(renamed, zipSync({ 'metadata.json': entries['metadata.json'], 'config.json': strToU8(config), 'model.weights.h5': entries['model.weights.h5'] }));
    await expect(loadModel(renamed)).rejects.toThrow(
      `${renamed}: cannot rebuild the model from its config: Lambda 'lam': the function 'not_registered_anywhere' is not registered. Register it before creating or loading the layer: registerLambda('not_registered_anywhere', (inputs, options) => ...)`,
    );
    const loaded = await loadModel(renamed, { customObjects: { not_registered_anywhere: (v: Sym) => ops.mul(v, 2) } });
    expect(loaded.layers.map((l) => l.className)).toEqual(['InputLayer', 'Lambda', 'Dense']);
  });

  test('a TF.js model.json with a Python lambda in its topology is refused the same way', async () => {
    const file = join(dir, 'model.json');
    await saveModel(new Sequential({ layers: [new Dense({ units: 2, inputShape: [3], name: 'd' })] }), file);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.modelTopology.model_config.config.layers.push({ class_name: 'Lambda', config: { name: 'lam', function: PAYLOAD, function_type: 'lambda', arguments: {} } });
    writeFileSync(file, JSON.stringify(json));
    await expect(loadModel(file)).rejects.toThrow(`${file}: cannot rebuild the model from its config: Lambda 'lam': the function is a Python lambda stored as code`);
  });
});
