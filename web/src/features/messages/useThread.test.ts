import { describe, expect, it } from 'vitest';
import type { Message } from './queries';
import { mergeMessages } from './useThread';

const message = (seq: number, text = `m${seq}`): Message => ({
  id: `id-${seq}`, conversation_id: 'c', seq, author_id: 'a', author_name: 'A', text, created_at: seq, edited_at: null, deleted_at: null, attachments: [],
});

describe('mergeMessages', () => {
  it('keeps each message once, in its conversation order, whatever order they came in', () => {
    const merged = mergeMessages([message(1), message(3)], [message(2), message(3), message(4)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });
  it('replaces a message by its newer version (an edit, a deletion)', () => {
    const merged = mergeMessages([message(1), message(2)], [{ ...message(2, ''), deleted_at: 5 }]);
    expect(merged[1].deleted_at).toBe(5);
    expect(merged).toHaveLength(2);
  });
});
