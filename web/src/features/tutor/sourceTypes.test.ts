import { describe, expect, it } from 'vitest';
import { sourceContentType } from './sourceTypes';

describe('sourceContentType', () => {
  it("keeps the browser's type when the server reads it", () => {
    expect(sourceContentType('cours.pdf', 'application/pdf')).toBe('application/pdf');
  });
  it('falls back on the extension', () => {
    expect(sourceContentType('Chapitre 1.MD', '')).toBe('text/markdown');
    expect(sourceContentType('page.htm', 'application/octet-stream')).toBe('text/html');
  });
  it('sends an unknown file as it is, for the server to refuse with a reason', () => {
    expect(sourceContentType('photo.jpg', 'image/jpeg')).toBe('image/jpeg');
    expect(sourceContentType('archive', '')).toBe('application/octet-stream');
  });
});
