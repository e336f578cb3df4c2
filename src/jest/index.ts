/** rnn-parity's jest matchers: `import { parityMatchers } from 'rnn-parity/jest'; expect.extend(parityMatchers);` */
export { parityMatchers, type ParityMatcherOptions } from './matchers';
