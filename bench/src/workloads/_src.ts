import { createTsBackend } from '@keras-ts/backend-ts';
import { ops, trace, lowerComposites } from '@keras-ts/spec';
import { fusionGroups, compileGroup } from '../../../packages/backend-ts/src/fusion';
const C = 48;
const g = lowerComposites(trace((x, s, t) => ops.clip(ops.relu(ops.add(ops.mul(x, s), t)), 0, 6), [{ shape: [8, 112, 112, C], dtype: 'float32' }, { shape: [C], dtype: 'float32' }, { shape: [C], dtype: 'float32' }]));
const cons = g.nodes.map(() => [] as number[]); for (const n of g.nodes) for (const i of new Set(n.inputs)) cons[i].push(n.id);
for (const gr of fusionGroups(g.nodes, cons, (id) => g.outputs.includes(id))) console.log(compileGroup(g.nodes, gr).source);
