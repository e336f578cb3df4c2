/**
 * A model's architecture as Keras or tfjs serializes it -> the layers of a GraphModel (weights come next,
 * from the format's own weight store). Reads:
 *   Sequential  {class_name: 'Sequential', config: {layers: [...]}}: a chain; the input shape from an
 *               InputLayer, the first layer's batch_shape/batch_input_shape, or build_input_shape
 *   Functional  {class_name: 'Functional' | 'Model', config: {layers, input_layers, output_layers}}, each
 *               layer with inbound_nodes in Keras 3's form ({args: [keras tensors]}) or Keras 2's and
 *               tfjs's ([[[name, node, tensor, kwargs]]])
 * Every blocker in every layer is collected before anything is refused.
 */
import { previewJson } from '../io/json';
import { isObject, type Json } from '../keras/config-checks';
import { ReadContext, type Blocker, type ConfigSource } from '../layers/read-context';
import { kindForClass, supportedKerasClasses } from '../layers/registry';
import { readInputDtype, readInputShape } from './input-shape';
import { parseTensorRef, tensorRef, type GraphInput, type Shape } from './model';

/** A layer as read from the architecture, before its weights. */
export interface LayerEntry {
  readonly name: string;
  readonly className: string;
  readonly kind: string;
  readonly config: unknown;
  readonly inbound: readonly string[];
  /** `layer 2 "lstm_1" (LSTM)` */
  readonly where: string;
}

export interface Architecture {
  readonly topology: 'Sequential' | 'Functional';
  readonly inputs: readonly GraphInput[];
  readonly layers: readonly LayerEntry[];
  readonly outputs: readonly string[];
  /** Class names of every layer in config order, InputLayer included (weight groups are numbered over them). */
  readonly classOrder: readonly string[];
}

/** Keys of the input shape a layer may carry in a Sequential model (read by the graph, not the kind). */
const INPUT_SHAPE_KEYS = ['batch_input_shape', 'batch_shape', 'input_shape', 'input_dim', 'input_length'];

function describe(index: number, name: unknown, className: unknown): string {
  const cls = typeof className === 'string' && /^\w+$/.test(className) ? className : previewJson(className);
  return `layer ${index} ${previewJson(name)} (${cls})`;
}

/**
 * Reads the architecture.
 * @param top the parsed JSON: config.json, a legacy .h5's model_config, or model.json's modelTopology
 *   (its `model_config` when it has one)
 * @returns the layers with typed configs, even when blockers were found (the caller throws on them)
 */
export function readArchitecture(top: unknown, source: ConfigSource, blockers: Blocker[]): Architecture {
  const model = isObject(top) && isObject(top.model_config) ? top.model_config : top;
  if (!isObject(model) || !isObject(model.config)) {
    blockers.push({
      layer: 'model',
      option: 'class_name',
      value: isObject(model) ? model.class_name : model,
      reason: 'expected a Sequential or Functional model config',
    });
    return { topology: 'Sequential', inputs: [], layers: [], outputs: [], classOrder: [] };
  }
  const cls = model.class_name;
  if (cls === 'Sequential') return readSequential(model.config, source, blockers);
  if (cls === 'Functional' || cls === 'Model') return readFunctional(model.config, source, blockers);
  blockers.push({
    layer: 'model',
    option: 'class_name',
    value: cls,
    reason: 'expected Sequential or Functional',
    hint: 'subclassed models have no architecture in the file',
  });
  return { topology: 'Sequential', inputs: [], layers: [], outputs: [], classOrder: [] };
}

function layerList(config: Json, blockers: Blocker[]): Json[] {
  if (!Array.isArray(config.layers)) {
    blockers.push({ layer: 'model', option: 'layers', value: config.layers, reason: 'expected a list of layers' });
    return [];
  }
  return config.layers.map((l, i) => (isObject(l) ? l : (blockers.push({ layer: `layer ${i}`, option: '', value: l, reason: 'expected a JSON object' }), {})));
}

/** One layer entry -> typed config through its kind, or blockers. */
function readLayer(entry: Json, index: number, source: ConfigSource, blockers: Blocker[], inbound: readonly string[]): LayerEntry | undefined {
  const raw = isObject(entry.config) ? entry.config : {};
  const name = typeof raw.name === 'string' ? raw.name : typeof entry.name === 'string' ? entry.name : `layer_${index}`;
  const className = typeof entry.class_name === 'string' ? entry.class_name : String(entry.class_name);
  const where = describe(index, name, entry.class_name);
  const ctx = new ReadContext(source, where, blockers, (cls) => kindForClass(cls, source));
  if (
    entry.registered_name !== undefined &&
    entry.registered_name !== null &&
    entry.registered_name !== className &&
    !String(entry.registered_name).startsWith('keras')
  ) {
    ctx.block('registered_name', entry.registered_name, 'expected a built-in layer', 'custom layers have no hand path; replace it by built-in layers');
    return undefined;
  }
  if (className === 'Sequential' || className === 'Functional' || className === 'Model') {
    ctx.block('', className, 'a model nested as a layer is not supported yet', 'rebuild it flat (model.layers of the inner model in order)');
    return undefined;
  }
  const kind = kindForClass(className, source);
  if (kind === undefined) {
    ctx.block('class_name', className, `not a supported layer kind (supported: ${supportedKerasClasses().join(', ')})`);
    return undefined;
  }
  ctx.ignore(...INPUT_SHAPE_KEYS);
  const config: unknown = kind.readConfig(raw, ctx);
  return { name, className, kind: kind.kind, config, inbound, where };
}

function readSequential(config: Json, source: ConfigSource, blockers: Blocker[]): Architecture {
  const entries = layerList(config, blockers);
  let inputShape: Shape | undefined;
  let inputName = 'input';
  let dtype: GraphInput['dtype'] = 'float32';
  let first = 0;
  if (entries[0]?.class_name === 'InputLayer') {
    const raw = isObject(entries[0].config) ? entries[0].config : {};
    const ctx = new ReadContext(source, describe(0, raw.name, 'InputLayer'), blockers);
    inputShape = readInputShape(raw, ctx, true);
    dtype = readInputDtype(raw, new ReadContext(source, describe(0, raw.name, 'InputLayer'), []));
    if (typeof raw.name === 'string') inputName = raw.name;
    first = 1;
  } else if (entries.length > 0) {
    const raw = isObject(entries[0].config) ? entries[0].config : {};
    inputShape = readInputShape(raw, new ReadContext(source, describe(0, raw.name, entries[0].class_name), blockers), false);
  }
  if (inputShape === undefined && Array.isArray(config.build_input_shape)) {
    inputShape = readInputShape({ batch_shape: config.build_input_shape }, new ReadContext(source, 'model build_input_shape', blockers), true);
  }
  if (inputShape === undefined) {
    blockers.push({
      layer: 'model',
      option: 'input shape',
      value: null,
      reason: 'expected an input shape (an InputLayer, batch_input_shape or build_input_shape)',
      hint: 'save a built model',
    });
    inputShape = [null];
  }
  const layers: LayerEntry[] = [];
  let previous = inputName;
  entries.slice(first).forEach((entry, i) => {
    const layer = readLayer(entry, first + i, source, blockers, [previous]);
    if (layer && (layer.config as { returnState?: boolean }).returnState === true) {
      // In a chain the next layer reads the output alone; the states have nowhere to go (Keras fails there too).
      blockers.push({
        layer: layer.where,
        option: 'return_state',
        value: true,
        reason: 'expected false in a Sequential model',
        hint: 'use a Functional model to pass the states on',
      });
    }
    if (layer) {
      layers.push(layer);
      previous = layer.name;
    }
  });
  return {
    topology: 'Sequential',
    inputs: [{ name: inputName, shape: inputShape, ...(dtype === 'int32' ? { dtype } : {}) }],
    layers,
    outputs: layers.length > 0 ? [layers[layers.length - 1].name] : [],
    classOrder: entries.map((e) => String(e.class_name)),
  };
}

/** [name, nodeIndex, tensorIndex] references of one inbound node, in either serialization. */
function inboundRefs(node: unknown): { refs: unknown[][]; kwargs: unknown[] } {
  if (Array.isArray(node)) {
    // Keras 2 / tfjs: [[name, node, tensor, kwargs], ...]
    return { refs: node.filter(Array.isArray), kwargs: node.map((r) => (Array.isArray(r) ? r[3] : undefined)) };
  }
  if (isObject(node)) {
    // Keras 3: {args: [tensor | [tensors]], kwargs: {...}}, tensor = {class_name: '__keras_tensor__', config: {keras_history}}
    const refs: unknown[][] = [];
    const collect = (arg: unknown): void => {
      if (Array.isArray(arg)) arg.forEach(collect);
      else if (isObject(arg) && arg.class_name === '__keras_tensor__' && isObject(arg.config) && Array.isArray(arg.config.keras_history))
        refs.push(arg.config.keras_history);
    };
    collect(node.args);
    return { refs, kwargs: [node.kwargs] };
  }
  return { refs: [], kwargs: [] };
}

/**
 * Keras 3's serialized padding mask of Embedding(mask_zero=True): a NotEqual op layer called as
 * not_equal(<ids>, 0). Returns the ids' layer name, or undefined for any other entry.
 */
function padMaskOp(entry: Json, nodes: unknown[]): { of: string } | undefined {
  if (entry.class_name !== 'NotEqual' || nodes.length !== 1 || !isObject(nodes[0])) return undefined;
  const args = nodes[0].args;
  if (!Array.isArray(args) || args.length !== 2 || args[1] !== 0) return undefined;
  const of = maskRef(args[0]);
  return of === undefined ? undefined : { of };
}

/** The layer name a serialized keras tensor comes from (its keras_history), else undefined. */
function maskRef(value: unknown): string | undefined {
  if (!isObject(value) || value.class_name !== '__keras_tensor__' || !isObject(value.config) || !Array.isArray(value.config.keras_history)) return undefined;
  const [from] = value.config.keras_history;
  return typeof from === 'string' ? from : undefined;
}

/** kwargs that do not change an inference call: none, mask None, training False. */
function harmlessKwargs(kwargs: unknown): boolean {
  if (kwargs === undefined || kwargs === null) return true;
  if (!isObject(kwargs)) return false;
  return Object.entries(kwargs).every(([k, v]) => v === undefined || (k === 'mask' && v === null) || (k === 'training' && (v === false || v === null)));
}

function readFunctional(config: Json, source: ConfigSource, blockers: Blocker[]): Architecture {
  const entries = layerList(config, blockers);
  const inputs: GraphInput[] = [];
  const layers: LayerEntry[] = [];
  const known = new Set<string>();
  const maskOps = new Map<string, { of: string; where: string }>();
  const maskUses: { where: string; mask: string }[] = [];
  entries.forEach((entry, index) => {
    const raw = isObject(entry.config) ? entry.config : {};
    const name = typeof entry.name === 'string' ? entry.name : String(raw.name);
    const where = describe(index, name, entry.class_name);
    if (entry.class_name === 'InputLayer') {
      const shape = readInputShape(raw, new ReadContext(source, where, blockers), true);
      const dtype = readInputDtype(raw, new ReadContext(source, where, []));
      if (shape) inputs.push({ name, shape, ...(dtype === 'int32' ? { dtype } : {}) });
      known.add(name);
      return;
    }
    const nodes = Array.isArray(entry.inbound_nodes) ? entry.inbound_nodes : [];
    const maskOp = padMaskOp(entry, nodes);
    if (maskOp) {
      // Keras 3 writes an Embedding's mask_zero mask as an op, not_equal(ids, 0), passed to the layers below
      // as mask=...; the graph carries that same mask itself (Embedding.computeMask), so the op is no layer.
      maskOps.set(name, { ...maskOp, where });
      return;
    }
    if (nodes.length !== 1) {
      blockers.push({
        layer: where,
        option: 'inbound_nodes',
        value: `${nodes.length} calls`,
        reason: 'expected a layer called once',
        hint: nodes.length > 1 ? 'shared layers are not supported yet' : undefined,
      });
      return;
    }
    const { refs, kwargs } = inboundRefs(nodes[0]);
    const inbound: string[] = [];
    for (const ref of refs) {
      const [from, , tensor] = ref;
      if (typeof from === 'string' && maskOps.has(from)) {
        blockers.push({ layer: where, option: 'inbound', value: from, reason: 'expected a layer, got a padding mask used as data' });
      } else if (typeof from !== 'string' || !known.has(from)) {
        blockers.push({ layer: where, option: 'inbound', value: from, reason: 'expected a layer defined earlier in the config' });
      } else if (typeof tensor !== 'number' || !Number.isInteger(tensor) || tensor < 0) {
        blockers.push({ layer: where, option: 'inbound', value: ref, reason: "expected a layer's output index" });
      } else inbound.push(tensorRef(from, tensor));
    }
    // initial_state=[h, c] (an encoder's states feeding a decoder): extra inputs after the sequence.
    for (const k of kwargs) {
      const states = isObject(k) ? k.initial_state : undefined;
      if (states === undefined || states === null) continue;
      for (const state of Array.isArray(states) ? states : [states]) {
        const history = isObject(state) && isObject(state.config) && Array.isArray(state.config.keras_history) ? state.config.keras_history : undefined;
        if (!history || typeof history[0] !== 'string' || !known.has(history[0]) || typeof history[2] !== 'number') {
          blockers.push({ layer: where, option: 'initial_state', value: state, reason: 'expected tensors of layers defined earlier' });
        } else inbound.push(tensorRef(history[0], history[2]));
      }
    }
    for (const k of kwargs) {
      const mask = isObject(k) ? maskRef(k.mask) : undefined;
      if (mask !== undefined) maskUses.push({ where, mask });
    }
    const withoutMaskOps = kwargs.map((k) => (isObject(k) ? { ...k, ...(maskRef(k.mask) !== undefined ? { mask: null } : {}), initial_state: undefined } : k));
    if (!withoutMaskOps.every(harmlessKwargs)) {
      blockers.push({
        layer: where,
        option: 'call arguments',
        value: withoutMaskOps.find((k) => !harmlessKwargs(k)),
        reason: 'expected a plain call (no explicit mask, initial_state or training=True)',
      });
    }
    const layer = readLayer(entry, index, source, blockers, inbound);
    if (layer) layers.push(layer);
    known.add(name);
  });
  // A mask=not_equal(ids, 0) argument is only what the graph computes anyway when ids feed an
  // Embedding(mask_zero=True); any other explicit mask is refused.
  const maskedIds = new Set(layers.filter((l) => l.kind === 'embedding' && (l.config as { maskZero?: boolean }).maskZero).map((l) => l.inbound[0]));
  for (const use of maskUses) {
    const op = maskOps.get(use.mask);
    if (op === undefined || !maskedIds.has(op.of)) {
      blockers.push({
        layer: use.where,
        option: 'mask',
        value: use.mask,
        reason: "expected the padding mask of an Embedding(mask_zero=True) on the layer's own input",
        hint: 'explicit masks are not supported',
      });
    }
  }
  const ends = (key: string): string[] => {
    const list = config[key];
    if (!Array.isArray(list)) {
      blockers.push({ layer: 'model', option: key, value: list, reason: 'expected a list of [layer, node, tensor]' });
      return [];
    }
    // Keras 3 writes a single [name, 0, 0] for one tensor; Keras 2 and tfjs a list of them.
    const refs = list.length === 3 && typeof list[0] === 'string' ? [list] : list;
    return refs.map((r) => (Array.isArray(r) && typeof r[0] === 'string' ? tensorRef(r[0], typeof r[2] === 'number' ? r[2] : 0) : String(r)));
  };
  const inputOrder = ends('input_layers');
  const sortedInputs = inputOrder.map((n) => inputs.find((i) => i.name === n)).filter((i): i is GraphInput => i !== undefined);
  const outputs = ends('output_layers');
  for (const out of outputs) {
    if (!layers.some((l) => l.name === parseTensorRef(out).node))
      blockers.push({ layer: 'model', option: 'output_layers', value: out, reason: 'expected a supported layer as output' });
  }
  return {
    topology: 'Functional',
    inputs: sortedInputs.length === inputs.length ? sortedInputs : inputs,
    layers,
    outputs,
    classOrder: entries.map((e) => String(e.class_name)),
  };
}
