import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DELIMITERS,
  buildHl7,
  escapeText,
  isHl7Error,
  parseHl7,
  parseHl7Batch,
  parsePath,
  unescapeText,
  type Hl7ErrorCode,
} from '../src/index.js';

const dir = path.resolve(import.meta.dirname, '../../../specs/conformance/hl7v2/er7');
const read = (name: string) => fs.readFileSync(path.join(dir, name));

function codeOf(fn: () => unknown): Hl7ErrorCode | undefined {
  try {
    fn();
  } catch (err) {
    if (isHl7Error(err)) return err.code;
    throw err;
  }
  return undefined;
}

describe('parseHl7', () => {
  const bytes = read('adt-a01-vnpt.hl7');
  const msg = parseHl7(bytes);

  it('reads header fields, type and repeating identifiers', () => {
    expect(msg.type).toEqual({ code: 'ADT', event: 'A01', structure: 'ADT_A01' });
    expect(msg.controlId).toBe('MSG0001');
    expect(msg.version).toBe('2.5.1');
    expect(msg.charset).toBe('utf8');
    expect(msg.get('MSH-1')).toBe('|');
    expect(msg.get('MSH-2')).toBe('^~\\&');
    expect(msg.get('MSH-4')).toBe('BV_BACGIANG');
    expect(msg.getAll('PID-3.1')).toEqual(['BN000123', '001203004567', 'GD4242420123456']);
    expect(msg.get('PID-3[2].1')).toBe('001203004567');
    expect(msg.get('PID-3[2].5')).toBe('NI');
    expect(msg.get('PID-3[4].1')).toBeUndefined();
    expect(msg.get('PID-5.1')).toBe('Nguyễn');
    expect(msg.get('PID-5.2')).toBe('Văn An');
    expect(msg.getRaw('PID-3[1]')).toBe('BN000123^^^BVBG^MR');
    expect(msg.get('NK1-2')).toBeUndefined();
  });

  it('resolves escape sequences in values and keeps Z-segments', () => {
    expect(msg.get('PID-11.1')).toBe('Số 12 & 14 Đường Lê Lợi');
    expect(msg.get('PID-11.3')).toBe('Phường Trần Phú');
    expect(msg.segment('ZBH')?.get(2)).toBe('Ghi chú|đặc biệt\\R\\ Hello');
    expect(msg.get('ZBH-3')).toBe('\ndòng 2');
    expect(msg.segments.map((s) => s.name)).toEqual(['MSH', 'EVN', 'PID', 'PV1', 'ZBH']);
  });

  it('round-trips exactly, to text and to bytes', () => {
    expect(msg.toString()).toBe(bytes.toString('utf8'));
    expect(msg.toBytes().equals(bytes)).toBe(true);
  });

  it('tolerates LF terminators and v2.3 without MSH-9.3, and keeps them', () => {
    const text = read('oru-r01-lf.hl7').toString('utf8');
    const oru = parseHl7(text);
    expect(oru.type).toEqual({ code: 'ORU', event: 'R01', structure: 'ORU_R01' });
    expect(oru.get('OBX-5')).toBe('5.6');
    expect(oru.get('OBX-3.2')).toBe('Glucose');
    expect(oru.toString()).toBe(text);
  });

  it('decodes a legacy code page named in MSH-18 (Windows-1258) to NFC and encodes it back', () => {
    const raw = read('adt-a08-cp1258.hl7');
    const m = parseHl7(raw);
    expect(m.charset).toBe('WINDOWS-1258');
    expect(m.get('PID-5.1')).toBe('Đỗ');
    expect(m.get('PID-5.2')).toBe('Thị Hằng');
    expect(m.get('PID-5.2')).toBe('Thị Hằng'.normalize('NFC'));
    expect(m.toBytes().equals(raw)).toBe(true);
  });

  it('decodes 8859/1 and \\Xhh\\ in the message charset', () => {
    const text = 'MSH|^~\\&|A|B|C|D|20240101||ADT^A08|1|P|2.5|||||DE|8859/1\rPID|1||X||M\xfcller^\\XB5\\g\r';
    const m = parseHl7(Buffer.from(text, 'latin1'));
    expect(m.charset).toBe('iso-8859-1');
    expect(m.get('PID-5.1')).toBe('Müller');
    expect(m.get('PID-5.2')).toBe('µg');
  });

  it('uses non-standard delimiters from MSH-1/MSH-2, including the v2.7 truncation character', () => {
    const m = parseHl7('MSH#$*/!%#A#B#C#D#20240101##ADT$A04#7#P#2.7\rPID#1##A1*A2$$$H##Phạm$Minh/F/!x\r');
    expect(m.delimiters).toEqual({
      field: '#',
      component: '$',
      repetition: '*',
      escape: '/',
      subcomponent: '!',
      truncation: '%',
    });
    expect(m.getAll('PID-3.1')).toEqual(['A1', 'A2']);
    expect(m.get('PID-3[2].4')).toBe('H');
    expect(m.get('PID-5.2')).toBe('Minh#');
    expect(m.get('PID-5.2.2')).toBe('x');
  });

  it('sets values with escaping and keeps the rest untouched', () => {
    const m = parseHl7(read('adt-a01-vnpt.hl7'));
    m.set('PID-5.2', 'Văn|An^B');
    m.set('PID-3[3].4', 'BHXH VN');
    m.set('PID-13[2].1', '0912345678');
    expect(m.getRaw('PID-5')).toBe('Nguyễn^Văn\\F\\An\\S\\B^^^^^L');
    expect(m.get('PID-5.2')).toBe('Văn|An^B');
    expect(m.getRaw('PID-13')).toBe('~0912345678');
    expect(m.toString().split('\r')[0]).toBe(read('adt-a01-vnpt.hl7').toString('utf8').split('\r')[0]);
  });

  it('builds messages from unescaped values', () => {
    const m = buildHl7(
      [
        [
          'MSH',
          '',
          '',
          'HUB',
          'SYT',
          'HIS',
          'BV',
          '20240305143000+0700',
          '',
          ['ACK', 'A01', 'ACK'],
          'A1',
          'P',
          '2.5.1',
        ],
        ['MSA', 'AA', 'MSG0001', 'Đã nhận | ok'],
      ],
      DEFAULT_DELIMITERS,
    );
    expect(m.toString()).toBe(
      'MSH|^~\\&|HUB|SYT|HIS|BV|20240305143000+0700||ACK^A01^ACK|A1|P|2.5.1\rMSA|AA|MSG0001|Đã nhận \\F\\ ok\r',
    );
  });
});

describe('bad input', () => {
  it('names the failure with a stable code', () => {
    expect(codeOf(() => parseHl7('PID|1||X\r'))).toBe('NO_MSH');
    expect(codeOf(() => parseHl7(''))).toBe('NO_MSH');
    expect(codeOf(() => parseHl7('MSH|^~|A\r'))).toBe('BAD_DELIMITERS');
    expect(codeOf(() => parseHl7('MSH|^^\\&|A\r'))).toBe('BAD_DELIMITERS');
    expect(codeOf(() => parseHl7('MSH|^~\\&|A\rpid|1\r'))).toBe('BAD_SEGMENT');
    expect(codeOf(() => parseHl7('MSH|^~\\&|A\rPID|1|\u0000\u0001\r'))).toBe('BINARY_CONTENT');
    expect(
      codeOf(() => parseHl7(Buffer.from([0x4d, 0x53, 0x48, 0x7c, 0x5e, 0x7e, 0x5c, 0x26, 0x7c, 0xff, 0xfe]))),
    ).toBe('BINARY_CONTENT');
    expect(codeOf(() => parseHl7('MSH|^~\\&|A|B|C|D|||ADT^A01|1|P|2.5|||||VN|KLINGON\r'))).toBe(
      'CHARSET_UNSUPPORTED',
    );
    expect(codeOf(() => parseHl7(`MSH|^~\\&|A\rOBX|1|ED|${'A'.repeat(10 * 1024 * 1024)}\r`))).toBe(
      'TOO_LARGE',
    );
    expect(codeOf(() => parseHl7('MSH|^~\\&|A\r' + 'NTE|1\r'.repeat(20), { maxSegments: 10 }))).toBe(
      'TOO_LARGE',
    );
    expect(codeOf(() => parsePath('PID-x'))).toBe('BAD_PATH');
    expect(codeOf(() => parsePath('PID-3[0]'))).toBe('BAD_PATH');
  });

  it('reports the segment and offset of an invalid segment', () => {
    try {
      parseHl7('MSH|^~\\&|A\rPID|1\rX1|2\r');
      expect.unreachable();
    } catch (err) {
      expect(isHl7Error(err) && err.details).toEqual({ segmentIndex: 3, offset: 17, segment: 'X1' });
    }
  });
});

describe('escapes', () => {
  it('unescapes every sequence and keeps stray escape characters', () => {
    const d = DEFAULT_DELIMITERS;
    expect(unescapeText('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f', d)).toBe('a|b^c&d~e\\f');
    expect(unescapeText('\\H\\bold\\N\\ x\\.br\\y\\.sp 2\\z\\.in +4\\', d)).toBe('bold x\ny\nz');
    expect(unescapeText('\\X4869\\ \\C2842\\a', d)).toBe('Hi a');
    expect(unescapeText('C:\\temp\\file', d)).toBe('C:\\temp\\file');
    expect(unescapeText('trailing\\', d)).toBe('trailing\\');
    expect(unescapeText('\\E\\R\\', d)).toBe('\\R\\');
    expect(unescapeText('\\Zcustom\\', d)).toBe('\\Zcustom\\');
  });

  it('escapes so that unescape gives the text back', () => {
    const d = DEFAULT_DELIMITERS;
    const text = 'Ghi chú | a^b & c~d \\ e\nf';
    expect(escapeText(text, d)).toBe('Ghi chú \\F\\ a\\S\\b \\T\\ c\\R\\d \\E\\ e\\.br\\f');
    expect(unescapeText(escapeText(text, d), d)).toBe(text);
  });
});

describe('parseHl7Batch', () => {
  const m1 = 'MSH|^~\\&|A|B|C|D|20240101||ADT^A04|1|P|2.5\rPID|1||P1\r';
  const m2 = 'MSH|^~\\&|A|B|C|D|20240101||ADT^A04|2|P|2.5\rPID|1||P2\rZPI|x\r';

  it('splits FHS/BHS/BTS/FTS envelopes and round-trips', () => {
    const text = `FHS|^~\\&|A|B\rBHS|^~\\&|A|B\r${m1}${m2}BTS|2\rFTS|1\r`;
    const b = parseHl7Batch(text);
    expect(b.fileHeader?.get(3)).toBe('A');
    expect(b.batches).toHaveLength(1);
    expect(b.messages.map((m) => m.get('PID-3'))).toEqual(['P1', 'P2']);
    expect(b.messages[1]?.toString()).toBe(m2);
    expect(b.toString()).toBe(text);
  });

  it('accepts concatenated messages without an envelope', () => {
    expect(parseHl7Batch(m1 + m2).messages.map((m) => m.controlId)).toEqual(['1', '2']);
  });

  it('rejects wrong trailer counts and stray segments', () => {
    expect(codeOf(() => parseHl7Batch(`BHS|^~\\&|A\r${m1}BTS|3\r`))).toBe('BAD_BATCH');
    expect(codeOf(() => parseHl7Batch(`FHS|^~\\&|A\rBHS|^~\\&\r${m1}BTS|1\rFTS|2\r`))).toBe('BAD_BATCH');
    expect(codeOf(() => parseHl7Batch(`BHS|^~\\&|A\rPID|1\r`))).toBe('BAD_BATCH');
    expect(codeOf(() => parseHl7Batch('EVN|1\r'))).toBe('NO_MSH');
  });
});
