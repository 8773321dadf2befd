import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import { INSTRUMENT_IDS, InstrumentDefinitionSchema } from '../../../shared/domain/instruments/definition.js';
import {
  ANSWER_SCHEMAS,
  AssessmentResultSchema,
  AssessmentSubmissionSchema,
  INSTRUMENTS,
  instrumentById,
  InstrumentListSchema,
  isInstrumentId,
  listInstruments,
  score,
  scoreAssessment,
} from '../../../shared/domain/instruments/registry.js';
import { fieldErrorsOf } from './helpers.js';

describe('instrument list (GET /v1/instruments)', () => {
  it('lists PHQ-9, GAD-7, PCL-5 and the C-SSRS screener, valid under the published schema', () => {
    const list = listInstruments();
    expect(list.instruments.map((i) => i.id)).toEqual(['phq9', 'gad7', 'pcl5', 'cssrs_screener']);
    expect(InstrumentListSchema.parse(list)).toEqual(list);
  });

  it('is plain data: it survives JSON unchanged', () => {
    const list = listInstruments();
    expect(JSON.parse(JSON.stringify(list))).toEqual(list);
  });

  it.each([
    ['phq9', 'PHQ-9', 9, [0, 1, 2, 3], 'Over the last 2 weeks'],
    ['gad7', 'GAD-7', 7, [0, 1, 2, 3], 'Over the last 2 weeks'],
    ['pcl5', 'PCL-5', 20, [0, 1, 2, 3, 4], 'In the past month'],
    ['cssrs_screener', 'C-SSRS screener', 7, [true, false], 'Past month'],
  ] as const)('%s: %s, %i items, options %j, recall "%s", version, attribution and references', (id, shortName, items, values, recall) => {
    const instrument = instrumentById(id);
    expect(InstrumentDefinitionSchema.parse(instrument)).toEqual(instrument);
    expect(instrument.shortName).toBe(shortName);
    expect(instrument.items).toHaveLength(items);
    expect(instrument.options.map((o) => o.value)).toEqual(values);
    expect(instrument.options.every((o) => o.label.length > 0)).toBe(true);
    expect(instrument.recallPeriod.text).toBe(recall);
    expect(instrument.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(instrument.attribution.length).toBeGreaterThan(20);
    expect(instrument.references.length).toBeGreaterThan(0);
    expect(new Set(instrument.items.map((i) => i.id)).size).toBe(items);
    expect(instrument.items.every((i) => i.text.trim().length > 0)).toBe(true);
  });

  it('cannot be changed by a caller (definitions are shared by every request)', () => {
    const phq9 = instrumentById('phq9');
    expect(() => {
      (phq9.items[8] as { text: string }).text = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      (phq9.options as unknown[]).push({ value: 4, label: 'Always' });
    }).toThrow(TypeError);
    expect(phq9.items[8]!.text).toBe('Thoughts that you would be better off dead or of hurting yourself in some way');
  });

  it('knows its ids', () => {
    expect(INSTRUMENTS.map((i) => i.id)).toEqual([...INSTRUMENT_IDS]);
    expect(isInstrumentId('pcl5')).toBe(true);
    expect(isInstrumentId('bdi2')).toBe(false);
    expect(isInstrumentId(undefined)).toBe(false);
    expect(() => instrumentById('bdi2' as 'phq9')).toThrow(RangeError);
    expect(Object.keys(ANSWER_SCHEMAS)).toEqual([...INSTRUMENT_IDS]);
    expect(ANSWER_SCHEMAS.phq9.safeParse(Array(9).fill(0)).success).toBe(true);
    expect(ANSWER_SCHEMAS.cssrs_screener.safeParse({ q1: false, q2: false, q6: false }).success).toBe(true);
  });
});

describe('score(instrumentId, answers)', () => {
  it('dispatches to each instrument', () => {
    expect(score('phq9', [1, 1, 1, 1, 1, 1, 1, 1, 0])).toMatchObject({ instrument: 'phq9', total: 8, band: { id: 'mild' } });
    expect(score('gad7', [2, 2, 2, 2, 2, 0, 0])).toMatchObject({ instrument: 'gad7', total: 10, furtherEvaluation: true });
    expect(score('pcl5', Array(20).fill(1))).toMatchObject({ instrument: 'pcl5', total: 20, probablePtsd: false });
    expect(score('cssrs_screener', { q1: true, q2: false, q6: false })).toMatchObject({ instrument: 'cssrs_screener', triage: 'low' });
  });

  it('validates the answers, with fields under "answers"', () => {
    expect(fieldErrorsOf(() => score('gad7', [0, 0, 0]))).toEqual([
      { field: 'answers', message: 'The GAD-7 has 7 items: give exactly 7 answers, in item order (3 given).' },
    ]);
    expect(fieldErrorsOf(() => score('cssrs_screener', { q1: true, q2: true, q6: false })).map((e) => e.field)).toEqual([
      'answers.q3',
      'answers.q4',
      'answers.q5',
    ]);
    expect(() => score('phq9', Array(9).fill(3).concat(3))).toThrow(ValidationError);
  });

  it('rejects an unknown instrument', () => {
    expect(() => score('bdi2' as 'phq9', [])).toThrow(RangeError);
  });

  it('every result fits the published result schema', () => {
    const results = [
      score('phq9', [3, 3, 3, 3, 3, 3, 3, 3, 3]),
      score('gad7', Array(7).fill(0)),
      score('pcl5', Array(20).fill(4)),
      score('cssrs_screener', { q1: true, q2: true, q3: true, q4: true, q5: true, q6: true, q6Within3Months: true }),
    ];
    for (const result of results) expect(AssessmentResultSchema.parse(result)).toEqual(result);
  });
});

describe('assessment submission ({ instrument, answers })', () => {
  const errors = (input: unknown) => {
    const result = AssessmentSubmissionSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  };

  it('accepts each instrument with valid answers and scores it', () => {
    const submission = AssessmentSubmissionSchema.parse({ instrument: 'phq9', answers: [0, 0, 0, 0, 0, 0, 0, 0, 1] });
    expect(scoreAssessment(submission).riskFlags).toHaveLength(1);
    expect(errors({ instrument: 'gad7', answers: Array(7).fill(1) })).toEqual([]);
    expect(errors({ instrument: 'pcl5', answers: Array(20).fill(4) })).toEqual([]);
    expect(errors({ instrument: 'cssrs_screener', answers: { q1: false, q2: false, q6: false } })).toEqual([]);
  });

  it('names the instruments when the instrument is unknown or missing', () => {
    const message = 'Choose an instrument: phq9, gad7, pcl5, cssrs_screener.';
    expect(errors({ instrument: 'bdi2', answers: [] })).toEqual([{ path: 'instrument', message }]);
    expect(errors({ answers: [] })).toEqual([{ path: 'instrument', message }]);
    expect(errors(null)).toEqual([{ path: '', message: 'Send an object with the instrument and its answers.' }]);
  });

  it("validates the answers with the chosen instrument's rules", () => {
    expect(errors({ instrument: 'pcl5', answers: Array(9).fill(0) })).toEqual([
      { path: 'answers', message: 'The PCL-5 has 20 items: give exactly 20 answers, in item order (9 given).' },
    ]);
    expect(errors({ instrument: 'phq9' })).toEqual([
      { path: 'answers', message: 'Give the PHQ-9 answers as a list of 9 numbers, one per item, in item order.' },
    ]);
    expect(errors({ instrument: 'phq9', answers: Array(9).fill(0), note: 'hi' })).toEqual([
      { path: '', message: expect.stringContaining('note') },
    ]);
  });

  it('converts to JSON Schema for the OpenAPI document (answers as exact tuples, C-SSRS as an object)', () => {
    const json = JSON.stringify(z.toJSONSchema(AssessmentSubmissionSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }));
    expect(json).toContain('"minItems":9');
    expect(json).toContain('"maxItems":20');
    expect(json).toContain('"q6Within3Months":{"type":"boolean"}');
    expect(() => z.toJSONSchema(AssessmentResultSchema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' })).not.toThrow();
    expect(() => z.toJSONSchema(InstrumentListSchema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' })).not.toThrow();
  });
});
