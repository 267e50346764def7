// Command-line options: values, the buffer caps, and precise refusals.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli.js';

describe('parseArgs', () => {
  it('reads the options, with --name=value too', () => {
    const o = parseArgs(['--port', '0', '--data=memory', '--seed', 'abc', '--strict', '--flush-ms', '5', '--quiet', '--timings', '--no-idle-gc']);
    expect(o).toMatchObject({ port: 0, data: 'memory', seed: 'abc', strict: true, flushMs: 5, quiet: true, timings: true, noIdleGc: true, limits: {} });
    expect(parseArgs(['--seed', '42']).seed).toBe(42);
  });
  it('sets the buffer caps of every workspace', () => {
    expect(parseArgs(['--journal', '50', '--events=0', '--ledger-entries', '7']).limits).toEqual({ journal: 50, events: 0, ledgerEntries: 7 });
  });
  it('reads the log options', () => {
    expect(parseArgs(['--log-level', 'debug', '--log-format=json'])).toMatchObject({ logLevel: 'debug', logFormat: 'json' });
    expect(parseArgs([]).logLevel).toBeUndefined();
    expect(() => parseArgs(['--log-level', 'chatty'])).toThrow('--log-level must be one of');
    expect(() => parseArgs(['--log-format', 'xml'])).toThrow('--log-format must be json or pretty');
    expect(() => parseArgs(['--port', '12abc'])).toThrow('--port must be 0-65535');
    expect(() => parseArgs([], { PORT: 'x' })).toThrow('PORT must be 0-65535');
  });
  it('refuses bad values with a message naming the option', () => {
    expect(() => parseArgs(['--journal', '-1'])).toThrow('--journal must be an integer >= 0');
    expect(() => parseArgs(['--events', 'many'])).toThrow('--events must be an integer >= 0');
    expect(() => parseArgs(['--port'])).toThrow('--port needs a value');
    expect(() => parseArgs(['--port', '70000'])).toThrow('--port must be 0-65535');
    expect(() => parseArgs(['--nope'])).toThrow('unknown option --nope');
  });
});
