/**
 * Generators for random-weight BERT-shaped encoders in transformers.js layout, so tests and benchmarks can run the
 * real embedding path (tokenizer → ONNX Runtime → pooling) without downloadable weights.
 *
 * The graph is a genuine BERT encoder (embeddings + layer norm, multi-head self-attention with a padding mask and
 * softmax, GELU feed-forward, residuals) so its cost is that of a real model of the same shape. The int8 file uses the
 * same dynamic-quantization ops as `onnxruntime.quantization.quantize_dynamic` output (DynamicQuantizeLinear +
 * MatMulInteger for every weight MatMul, int8 Gather + DequantizeLinear for the word embeddings), which is what
 * `Xenova/multilingual-e5-small`'s `model_quantized.onnx` contains.
 */
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;

/** Size of a BERT encoder. */
export interface BertShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  /** Embedding rows; defaults to (and must be at least) the generated tokenizer's vocabulary size. */
  vocab?: number;
  /** Position embedding rows (default 512). */
  maxPositions?: number;
}

export interface WriteBertOptions {
  /** Also write `onnx/model_quantized.onnx` (dtype q8). Default false. */
  int8?: boolean;
  /** Write `onnx/model.onnx` (dtype fp32). Default true. */
  fp32?: boolean;
  /** Seed of the deterministic weights. Default 1. */
  seed?: number;
}

/** The exact shape of `intfloat/multilingual-e5-small` (its int8 ONNX file is ≈ 118 MB). */
export const E5_SMALL_SHAPE: Required<BertShape> = {
  layers: 12,
  hidden: 384,
  heads: 12,
  intermediate: 1536,
  vocab: 250_037,
  maxPositions: 512,
};

/** A tiny encoder for tests: builds in well under a second and embeds in about a millisecond per passage. */
export const TINY_SHAPE: BertShape = { layers: 2, hidden: 32, heads: 2, intermediate: 64 };

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/**
 * The WordPiece vocabulary: special tokens, printable ASCII, `##`-continuations of letters and digits, common CJK
 * and full-width punctuation, and every CJK Unified Ideograph (U+4E00–U+9FFF) as a single-character token.
 *
 * @example buildVocabulary().indexOf('复') // → a fixed id > 0
 */
export function buildVocabulary(): string[] {
  const tokens: string[] = [...SPECIAL_TOKENS];
  const range = (from: number, to: number) => {
    for (let c = from; c <= to; c++) tokens.push(String.fromCodePoint(c));
  };
  range(0x21, 0x7e); // printable ASCII
  for (const c of 'abcdefghijklmnopqrstuvwxyz0123456789') tokens.push(`##${c}`);
  range(0x2010, 0x2027); // dashes, quotes, ellipsis
  range(0x3001, 0x303f); // CJK symbols and punctuation (U+3000 is whitespace)
  range(0xff01, 0xff5e); // full-width forms
  range(0x4e00, 0x9fff); // CJK Unified Ideographs
  return tokens;
}

function tokenizerJson(vocab: string[]): object {
  const id = (t: string) => vocab.indexOf(t);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, i) => ({
      id: i,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

const TOKENIZER_CONFIG = {
  tokenizer_class: 'BertTokenizer',
  do_lower_case: true,
  tokenize_chinese_chars: true,
  strip_accents: null,
  model_max_length: 512,
  clean_up_tokenization_spaces: true,
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  mask_token: '[MASK]',
};

const SPECIAL_TOKENS_MAP = {
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  mask_token: '[MASK]',
};

/** Seeded PRNG (mulberry32) with Box–Muller normals: the same seed always writes the same bytes. */
class SeededRandom {
  private state: number;
  private spare: number | null = null;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = this.uniform() || 1e-12;
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  fill(size: number, std: number, mean = 0): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = mean + std * this.normal();
    return out;
  }
}

type Tensor = InstanceType<typeof onnx.TensorProto>;
type Node = InstanceType<typeof onnx.NodeProto>;

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Per-tensor symmetric int8 quantization, as quantize_dynamic does for weights. */
function quantizeInt8(values: Float32Array): { data: Int8Array; scale: number } {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  const scale = max / 127 || 1;
  const data = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = Math.max(-127, Math.min(127, Math.round(values[i] / scale)));
  return { data, scale };
}

/** Collects nodes and initializers of one graph; `fresh` names intermediate values. */
class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  private counter = 0;
  private constants = new Map<string, string>();

  fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  node(op: string, inputs: string[], attributes: Record<string, number | number[]> = {}, outputs = 1, domain = ''): string[] {
    const names = Array.from({ length: outputs }, () => this.fresh(op));
    const attribute = Object.entries(attributes).map(([name, value]) =>
      Array.isArray(value)
        ? onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: value })
        : Number.isInteger(value) && name !== 'epsilon'
          ? onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value })
          : onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value }),
    );
    this.nodes.push(onnx.NodeProto.create({ opType: op, input: inputs, output: names, name: this.fresh(`n_${op}`), attribute, domain }));
    return names;
  }

  op(op: string, inputs: string[], attributes: Record<string, number | number[]> = {}): string {
    return this.node(op, inputs, attributes)[0];
  }

  tensor(name: string, dataType: number, dims: number[], data: ArrayBufferView): string {
    this.initializers.push(onnx.TensorProto.create({ name, dataType, dims, rawData: bytesOf(data) }));
    return name;
  }

  float(name: string, dims: number[], data: Float32Array): string {
    return this.tensor(name, DataType.FLOAT, dims, data);
  }

  /** A shared scalar or 1-D constant (deduplicated by value). */
  constFloat(value: number): string {
    const key = `f${value}`;
    if (!this.constants.has(key)) this.constants.set(key, this.float(this.fresh('const'), [], Float32Array.of(value)));
    return this.constants.get(key)!;
  }

  constInt64(values: number[], scalar = false): string {
    const key = `i${scalar ? 's' : ''}${values.join(',')}`;
    if (!this.constants.has(key)) {
      const dims = scalar ? [] : [values.length];
      this.constants.set(key, this.tensor(this.fresh('const'), DataType.INT64, dims, BigInt64Array.from(values.map(BigInt))));
    }
    return this.constants.get(key)!;
  }
}

/** Emits the graph of one encoder; `weights(shape)` is drawn in a fixed order so both precisions share values. */
class BertGraph {
  private readonly g = new GraphBuilder();
  constructor(
    private readonly shape: Required<BertShape>,
    private readonly int8: boolean,
    private readonly random: SeededRandom,
  ) {}

  private weight(dims: number[], std = 0.02): Float32Array {
    return this.random.fill(dims.reduce((a, b) => a * b, 1), std);
  }

  /** x[..., in] · W[in, out] + b, quantized dynamically in the int8 model. */
  private dense(name: string, x: string, inSize: number, outSize: number): string {
    const w = this.weight([inSize, outSize]);
    const bias = this.g.float(`${name}.bias`, [outSize], this.random.fill(outSize, 0.02));
    let y: string;
    if (this.int8) {
      const { data, scale } = quantizeInt8(w);
      const wq = this.g.tensor(`${name}.weight_quantized`, DataType.INT8, [inSize, outSize], data);
      const wScale = this.g.float(`${name}.weight_scale`, [], Float32Array.of(scale));
      const wZero = this.g.tensor(`${name}.weight_zero_point`, DataType.INT8, [], Int8Array.of(0));
      const [xq, xScale, xZero] = this.g.node('DynamicQuantizeLinear', [x], {}, 3);
      const yInt = this.g.op('MatMulInteger', [xq, wq, xZero, wZero]);
      const yFloat = this.g.op('Cast', [yInt], { to: DataType.FLOAT });
      const scale2 = this.g.op('Mul', [xScale, wScale]);
      y = this.g.op('Mul', [yFloat, scale2]);
    } else {
      y = this.g.op('MatMul', [x, this.g.float(`${name}.weight`, [inSize, outSize], w)]);
    }
    return this.g.op('Add', [y, bias]);
  }

  private layerNorm(name: string, x: string): string {
    const h = this.shape.hidden;
    const gamma = this.g.float(`${name}.weight`, [h], this.random.fill(h, 0.02, 1));
    const beta = this.g.float(`${name}.bias`, [h], this.random.fill(h, 0.02));
    return this.g.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: 1e-12 });
  }

  /** Erf GELU written the way exporters write it, so ORT's GeluFusion recognises it. */
  private gelu(x: string): string {
    const scaled = this.g.op('Div', [x, this.g.constFloat(Math.SQRT2)]);
    const erf = this.g.op('Erf', [scaled]);
    const onePlus = this.g.op('Add', [erf, this.g.constFloat(1)]);
    const times = this.g.op('Mul', [x, onePlus]);
    return this.g.op('Mul', [times, this.g.constFloat(0.5)]);
  }

  private embeddings(): string {
    const { hidden, vocab, maxPositions } = this.shape;
    const words = this.weight([vocab, hidden]);
    let wordVectors: string;
    if (this.int8) {
      const { data, scale } = quantizeInt8(words);
      const q = this.g.tensor('embeddings.word_embeddings_quantized', DataType.INT8, [vocab, hidden], data);
      const s = this.g.float('embeddings.word_embeddings_scale', [], Float32Array.of(scale));
      const z = this.g.tensor('embeddings.word_embeddings_zero_point', DataType.INT8, [], Int8Array.of(0));
      wordVectors = this.g.op('DequantizeLinear', [this.g.op('Gather', [q, 'input_ids'], { axis: 0 }), s, z]);
    } else {
      const w = this.g.float('embeddings.word_embeddings', [vocab, hidden], words);
      wordVectors = this.g.op('Gather', [w, 'input_ids'], { axis: 0 });
    }
    const positions = this.g.float('embeddings.position_embeddings', [maxPositions, hidden], this.weight([maxPositions, hidden]));
    const types = this.g.float('embeddings.token_type_embeddings', [2, hidden], this.weight([2, hidden]));
    const shape = this.g.op('Shape', ['input_ids']);
    const seqLen = this.g.op('Gather', [shape, this.g.constInt64([1], true)], { axis: 0 });
    const range = this.g.op('Range', [this.g.constInt64([0], true), seqLen, this.g.constInt64([1], true)]);
    const positionVectors = this.g.op('Gather', [positions, range], { axis: 0 });
    const typeVectors = this.g.op('Gather', [types, 'token_type_ids'], { axis: 0 });
    const sum = this.g.op('Add', [this.g.op('Add', [wordVectors, typeVectors]), positionVectors]);
    return this.layerNorm('embeddings.LayerNorm', sum);
  }

  /** attention_mask [b, s] → additive bias [b, 1, 1, s]: 0 for tokens, -10000 for padding. */
  private maskBias(): string {
    const mask = this.g.op('Cast', ['attention_mask'], { to: DataType.FLOAT });
    const inverted = this.g.op('Sub', [this.g.constFloat(1), mask]);
    const bias = this.g.op('Mul', [inverted, this.g.constFloat(-10000)]);
    return this.g.op('Unsqueeze', [bias, this.g.constInt64([1, 2])]);
  }

  private layer(i: number, x: string, maskBias: string): string {
    const { hidden, heads, intermediate } = this.shape;
    const headSize = hidden / heads;
    const p = `encoder.layer.${i}`;
    const split = (t: string) => this.g.op('Reshape', [t, this.g.constInt64([0, 0, heads, headSize])]);
    const q = this.g.op('Transpose', [split(this.dense(`${p}.attention.self.query`, x, hidden, hidden))], { perm: [0, 2, 1, 3] });
    const k = this.g.op('Transpose', [split(this.dense(`${p}.attention.self.key`, x, hidden, hidden))], { perm: [0, 2, 3, 1] });
    const v = this.g.op('Transpose', [split(this.dense(`${p}.attention.self.value`, x, hidden, hidden))], { perm: [0, 2, 1, 3] });
    const scores = this.g.op('Div', [this.g.op('MatMul', [q, k]), this.g.constFloat(Math.sqrt(headSize))]);
    const probs = this.g.op('Softmax', [this.g.op('Add', [scores, maskBias])], { axis: -1 });
    const context = this.g.op('Transpose', [this.g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] });
    const merged = this.g.op('Reshape', [context, this.g.constInt64([0, 0, hidden])]);
    const attnOut = this.dense(`${p}.attention.output.dense`, merged, hidden, hidden);
    const h1 = this.layerNorm(`${p}.attention.output.LayerNorm`, this.g.op('Add', [attnOut, x]));
    const inner = this.gelu(this.dense(`${p}.intermediate.dense`, h1, hidden, intermediate));
    const out = this.dense(`${p}.output.dense`, inner, intermediate, hidden);
    return this.layerNorm(`${p}.output.LayerNorm`, this.g.op('Add', [out, h1]));
  }

  build(): Uint8Array {
    let x = this.embeddings();
    const maskBias = this.maskBias();
    for (let i = 0; i < this.shape.layers; i++) x = this.layer(i, x, maskBias);
    this.g.nodes.push(onnx.NodeProto.create({ opType: 'Identity', input: [x], output: ['last_hidden_state'], name: 'output' }));

    const dim = (d: string | number) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d });
    const valueInfo = (name: string, elemType: number, dims: (string | number)[]) =>
      onnx.ValueInfoProto.create({
        name,
        type: { tensorType: { elemType, shape: { dim: dims.map(dim) } } },
      });
    const graph = onnx.GraphProto.create({
      name: 'bert',
      node: this.g.nodes,
      initializer: this.g.initializers,
      input: ['input_ids', 'attention_mask', 'token_type_ids'].map((n) => valueInfo(n, DataType.INT64, ['batch_size', 'sequence_length'])),
      output: [valueInfo('last_hidden_state', DataType.FLOAT, ['batch_size', 'sequence_length', this.shape.hidden])],
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'fuhan-tests',
      opsetImport: [{ domain: '', version: 17 }],
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

/**
 * Writes a random-weight BERT encoder with a CJK-covering WordPiece tokenizer into `dir` in transformers.js layout
 * (`config.json`, `tokenizer.json`, `tokenizer_config.json`, `special_tokens_map.json`, `onnx/model.onnx`
 * and, with `int8`, `onnx/model_quantized.onnx`).
 *
 * @example await writeBertModel('/tmp/models/test/tiny', TINY_SHAPE, { int8: true, seed: 7 });
 */
export async function writeBertModel(dir: string, shape: BertShape, options: WriteBertOptions = {}): Promise<void> {
  const vocabulary = buildVocabulary();
  const full: Required<BertShape> = {
    ...shape,
    vocab: shape.vocab ?? vocabulary.length,
    maxPositions: shape.maxPositions ?? 512,
  };
  if (full.vocab < vocabulary.length) throw new Error(`vocab ${full.vocab} is smaller than the tokenizer's ${vocabulary.length} tokens`);
  if (full.hidden % full.heads !== 0) throw new Error(`hidden ${full.hidden} is not divisible by heads ${full.heads}`);
  const seed = options.seed ?? 1;

  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  const config = {
    model_type: 'bert',
    architectures: ['BertModel'],
    hidden_size: full.hidden,
    num_hidden_layers: full.layers,
    num_attention_heads: full.heads,
    intermediate_size: full.intermediate,
    vocab_size: full.vocab,
    max_position_embeddings: full.maxPositions,
    type_vocab_size: 2,
    hidden_act: 'gelu',
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
  };
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocabulary)));
  await writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify(TOKENIZER_CONFIG, null, 2));
  await writeFile(path.join(dir, 'special_tokens_map.json'), JSON.stringify(SPECIAL_TOKENS_MAP, null, 2));
  // Same seed for both precisions: the int8 model is the quantized version of the fp32 one.
  if (options.fp32 ?? true) {
    await writeFile(path.join(dir, 'onnx', 'model.onnx'), new BertGraph(full, false, new SeededRandom(seed)).build());
  }
  if (options.int8) {
    await writeFile(path.join(dir, 'onnx', 'model_quantized.onnx'), new BertGraph(full, true, new SeededRandom(seed)).build());
  }
}

/** Bump when the generated files change, so cached copies are regenerated. */
const GENERATOR_VERSION = 1;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * Generates a model once into `<repo>/.cache/<area>/<modelId>` and reuses it. Concurrent callers (vitest runs test
 * files in parallel processes) each write into a private temporary folder and rename it into place; the loser of the
 * race throws its copy away, so a complete current copy is never deleted while someone reads it.
 */
async function ensureModel(area: string, modelId: string, shape: BertShape, options: WriteBertOptions) {
  const localModelPath = path.join(REPO_ROOT, '.cache', area);
  const target = path.join(localModelPath, modelId);
  const stamp = path.join(target, `.generated-v${GENERATOR_VERSION}`);
  if (!(await exists(stamp))) {
    const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
    await writeBertModel(temp, shape, options);
    await writeFile(path.join(temp, `.generated-v${GENERATOR_VERSION}`), '');
    // rename fails when the folder exists: another process won (keep its copy) or it is stale (replace it).
    const placed = await rename(temp, target).then(
      () => true,
      () => false,
    );
    if (!placed) {
      if (await exists(stamp)) await rm(temp, { recursive: true, force: true });
      else {
        await rm(target, { recursive: true, force: true });
        await rename(temp, target).catch(async (error) => {
          if (!(await exists(stamp))) throw error;
          await rm(temp, { recursive: true, force: true });
        });
      }
    }
  }
  return { localModelPath, modelId };
}

/**
 * The tiny test encoder (2 layers, hidden 32, fp32 + int8) in `<repo>/.cache/test-models/fuhan-test/tiny-bert`.
 *
 * @example const { localModelPath, modelId } = await ensureTinyTestModel();
 *          await loadEmbedder({ model: modelId, localModelPath, allowRemote: false });
 */
export async function ensureTinyTestModel(): Promise<{ localModelPath: string; modelId: string }> {
  return ensureModel('test-models', 'fuhan-test/tiny-bert', TINY_SHAPE, { int8: true, seed: 7 });
}

/**
 * An encoder with multilingual-e5-small's exact shape, int8 only (≈ 118 MB), in `<repo>/.cache/bench-models/`.
 * For benchmarks only: generation takes tens of seconds.
 *
 * @example const { localModelPath, modelId } = await ensureE5ShapedModel();
 */
export async function ensureE5ShapedModel(): Promise<{ localModelPath: string; modelId: string }> {
  return ensureModel('bench-models', 'fuhan-bench/e5-small-shaped', E5_SMALL_SHAPE, { int8: true, fp32: false, seed: 11 });
}
