// What a teacher reads first in a path's tutor archive: per student, how many questions, refusals
// and demanding questions; across students, the questions asked most and the most demanding ones.
import type { Conversation } from './queries';

/** Bloom levels from "analyse" up count as demanding questions. */
export const COMPLEX_BLOOM = 4;

export interface StudentSummary {
  id: string;
  name: string;
  questions: number;
  refusals: number;
  complex: number;
  lastAt: number;
}

export interface AskedQuestion {
  text: string;
  count: number;
  bloom: number;
  bloomName: string;
  studentName: string;
}

/** Case, accents, punctuation and spacing folded: "Qu'est-ce qu'un verbe ?" = "qu est ce qu un verbe". */
export function normaliseQuestion(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function summarise(conversations: Conversation[]) {
  const students = new Map<string, StudentSummary>();
  const asked = new Map<string, AskedQuestion>();
  const demanding: AskedQuestion[] = [];
  for (const conversation of conversations) {
    const student = students.get(conversation.student_id) ?? {
      id: conversation.student_id, name: conversation.student_name, questions: 0, refusals: 0, complex: 0, lastAt: 0,
    };
    students.set(conversation.student_id, student);
    student.lastAt = Math.max(student.lastAt, conversation.updated_at);
    for (const message of conversation.messages) {
      if (message.role === 'tutor') {
        if (message.refused) student.refusals += 1;
        continue;
      }
      student.questions += 1;
      const bloom = message.bloom_level ?? 1;
      const entry: AskedQuestion = { text: message.text, count: 1, bloom, bloomName: message.bloom ?? 'remember', studentName: conversation.student_name };
      if (bloom >= COMPLEX_BLOOM) {
        student.complex += 1;
        demanding.push(entry);
      }
      const key = normaliseQuestion(message.text);
      const seen = asked.get(key);
      if (seen) seen.count += 1;
      else asked.set(key, { ...entry });
    }
  }
  return {
    students: [...students.values()].sort((a, b) => b.lastAt - a.lastAt),
    frequent: [...asked.values()].filter((q) => q.count > 1).sort((a, b) => b.count - a.count).slice(0, 5),
    complex: demanding.sort((a, b) => b.bloom - a.bloom).slice(0, 5),
  };
}
