import { describe, expect, it } from 'vitest';
import { normaliseQuestion, summarise } from './archive';
import type { Conversation } from './queries';

function conversation(student: string, name: string, at: number, messages: [string, string, number?, boolean?][]): Conversation {
  return {
    id: `${student}-${at}`, student_id: student, student_name: name, step_id: null, created_at: at, updated_at: at,
    messages: messages.map(([role, text, bloom, refused], i) => ({
      id: `${at}-${i}`, role: role as 'student' | 'tutor', text, created_at: at + i,
      ...(role === 'student' ? { bloom_level: bloom ?? 1, bloom: bloom && bloom >= 4 ? 'analyse' : 'remember' } : { refused: !!refused }),
    })),
  };
}

describe('summarise', () => {
  const archive = [
    conversation('a', 'Alice', 10, [['student', 'Quel est le prétérit de go ?'], ['tutor', 'indice', undefined, true],
      ['student', 'Compare les deux guerres', 5], ['tutor', 'cours']]),
    conversation('b', 'Bruno', 20, [['student', 'quel est le preterit de GO'], ['tutor', 'indice', undefined, true]]),
  ];
  it('counts questions, refusals and demanding questions per student, the latest first', () => {
    const { students } = summarise(archive);
    expect(students.map((s) => s.name)).toEqual(['Bruno', 'Alice']);
    expect(students[1]).toMatchObject({ questions: 2, refusals: 1, complex: 1 });
  });
  it('groups the same question however it is written, and ranks the demanding ones', () => {
    const { frequent, complex } = summarise(archive);
    expect(frequent).toHaveLength(1);
    expect(frequent[0].count).toBe(2);
    expect(complex.map((q) => q.text)).toEqual(['Compare les deux guerres']);
  });
  it('folds accents, case and punctuation', () => {
    expect(normaliseQuestion("Qu'est-ce qu'un Verbe ?")).toBe('qu est ce qu un verbe');
  });
});
