/**
 * Port of Keras 2's `examples/babi_rnn.py` (keras-team/keras, tag 2.3.1): two recurrent encoders
 * (the story and the question) merged to answer bAbI's "two supporting facts" task, with the
 * program's own bAbI parser (`tokenize`, `parse_stories`, `get_stories`, `vectorize_stories`),
 * line by line.
 *
 * Deviations:
 * - Data loading: the bAbI lines come from `babiLines()`, a generator of stories in the bAbI
 *   task 2 format (`1 Mary moved to the bathroom.` ... `4 Where is the football?\tbathroom\t3 1`),
 *   not from the downloaded archive (`get_file`, `tarfile`); they are strings, not bytes, so
 *   `line.decode('utf-8')` is not needed.
 * - `EPOCHS` (20) is an option.
 */
import { keras, scoreList } from '@keras-ts/keras';
import { rng } from './datasets.js';

const { layers } = keras;
const { Model } = keras.models;
const { padSequences: pad_sequences } = keras.preprocessing.sequence;

/** Return the tokens of a sentence including punctuation. */
export function tokenize(sent: string): string[] {
  return sent
    .split(/(\W+)/)
    .map((x) => x.trim())
    .filter((x) => x);
}

type Story = [string[][], string[], string];

/** Parse stories provided in the bAbi tasks format. If only_supporting is true, only the sentences that support the answer are kept. */
export function parse_stories(lines: readonly string[], only_supporting = false): Story[] {
  const data: Story[] = [];
  let story: (string[] | '')[] = [];
  for (let line of lines) {
    line = line.trim();
    const space = line.indexOf(' ');
    const nid = Number(line.slice(0, space));
    line = line.slice(space + 1);
    if (nid === 1) story = [];
    if (line.includes('\t')) {
      const [qText, a, supporting] = line.split('\t');
      const q = tokenize(qText);
      let substory: string[][];
      if (only_supporting) substory = supporting.split(' ').map((i) => story[Number(i) - 1] as string[]);
      else substory = story.filter((x): x is string[] => x !== '');
      data.push([substory, q, a]);
      story.push('');
    } else {
      const sent = tokenize(line);
      story.push(sent);
    }
  }
  return data;
}

/** Given the lines of a file, retrieve the stories, and then convert the sentences into a single story. */
function get_stories(lines: readonly string[], only_supporting = false, max_length: number | null = null): [string[], string[], string][] {
  const data = parse_stories(lines, only_supporting);
  const flatten = (d: string[][]) => d.reduce((x, y) => x.concat(y), []);
  return data.filter(([story]) => !max_length || flatten(story).length < max_length).map(([story, q, answer]) => [flatten(story), q, answer]);
}

function vectorize_stories(data: [string[], string[], string][], word_idx: Map<string, number>, story_maxlen: number, query_maxlen: number) {
  const xs: number[][] = [];
  const xqs: number[][] = [];
  const ys: number[] = [];
  for (const [story, query, answer] of data) {
    xs.push(story.map((w) => word_idx.get(w)!));
    xqs.push(query.map((w) => word_idx.get(w)!));
    ys.push(word_idx.get(answer)!);
  }
  return [pad_sequences(xs, { maxlen: story_maxlen }), pad_sequences(xqs, { maxlen: query_maxlen }), keras.utils.toCategorical(ys, word_idx.size + 1)] as const;
}

/** Stories in bAbI task 2's format ("two supporting facts"): people move, pick objects up, and a question asks where an object is. */
function babiLines(stories: number, seed: number): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const people = ['Mary', 'Sandra', 'John', 'Daniel'];
  const places = ['bathroom', 'bedroom', 'kitchen', 'garden', 'hallway', 'office'];
  const objects = ['football', 'apple', 'milk'];
  const lines: string[] = [];
  for (let s = 0; s < stories; s++) {
    const where = new Map<string, string>();
    let id = 1;
    const person = pick(people);
    const place = pick(places);
    lines.push(`${id++} ${person} moved to the ${place}.`);
    where.set(person, place);
    const other = pick(people.filter((p) => p !== person));
    lines.push(`${id++} ${other} journeyed to the ${pick(places)}.`);
    const object = pick(objects);
    lines.push(`${id++} ${person} got the ${object} there.`);
    lines.push(`${id++} Where is the ${object}?\t${place}\t3 1`);
  }
  return lines;
}

/** Runs the program; returns the History and the test loss and accuracy it prints. */
export async function main(options: { epochs?: number } = {}) {
  const RNN = layers.LSTM;
  const EMBED_HIDDEN_SIZE = 50;
  const SENT_HIDDEN_SIZE = 100;
  const QUERY_HIDDEN_SIZE = 100;
  const BATCH_SIZE = 32;
  const EPOCHS = options.epochs ?? 20;
  console.log(`RNN / Embed / Sent / Query = ${RNN.name}, ${EMBED_HIDDEN_SIZE}, ${SENT_HIDDEN_SIZE}, ${QUERY_HIDDEN_SIZE}`);

  // Default QA2 with 1000 samples
  const train = get_stories(babiLines(160, 21));
  const test = get_stories(babiLines(40, 22));

  let vocabSet = new Set<string>();
  for (const [story, q, answer] of [...train, ...test]) vocabSet = new Set([...vocabSet, ...story, ...q, answer]);
  const vocab = [...vocabSet].sort();

  // Reserve 0 for masking via pad_sequences
  const vocab_size = vocab.length + 1;
  const word_idx = new Map(vocab.map((c, i) => [c, i + 1]));
  const story_maxlen = Math.max(...[...train, ...test].map(([x]) => x.length));
  const query_maxlen = Math.max(...[...train, ...test].map(([, x]) => x.length));

  const [x, xq, y] = vectorize_stories(train, word_idx, story_maxlen, query_maxlen);
  const [tx, txq, ty] = vectorize_stories(test, word_idx, story_maxlen, query_maxlen);

  console.log(`vocab = ${vocab}`);
  console.log(`x.shape = ${x.shape}`);
  console.log(`xq.shape = ${xq.shape}`);
  console.log(`y.shape = ${y.shape}`);
  console.log(`story_maxlen, query_maxlen = ${story_maxlen}, ${query_maxlen}`);

  console.log('Build model...');

  const sentence = layers.Input({ shape: [story_maxlen], dtype: 'int32' });
  let encoded_sentence = new layers.Embedding({ inputDim: vocab_size, outputDim: EMBED_HIDDEN_SIZE }).apply(sentence);
  encoded_sentence = new RNN({ units: SENT_HIDDEN_SIZE }).apply(encoded_sentence);

  const question = layers.Input({ shape: [query_maxlen], dtype: 'int32' });
  let encoded_question = new layers.Embedding({ inputDim: vocab_size, outputDim: EMBED_HIDDEN_SIZE }).apply(question);
  encoded_question = new RNN({ units: QUERY_HIDDEN_SIZE }).apply(encoded_question);

  const merged = layers.concatenate([encoded_sentence, encoded_question]);
  const preds = new layers.Dense({ units: vocab_size, activation: 'softmax' }).apply(merged);

  const model = new Model([sentence, question], preds);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });

  console.log('Training');
  const history = await model.fit([x, xq], y, { batchSize: BATCH_SIZE, epochs: EPOCHS, validationSplit: 0.05 });

  console.log('Evaluation');
  const [loss, acc] = scoreList(await model.evaluate([tx, txq], ty, { batchSize: BATCH_SIZE, verbose: 1 }));
  console.log(`Test loss / test accuracy = ${loss.toFixed(4)} / ${acc.toFixed(4)}`);
  return { history, loss, acc };
}
