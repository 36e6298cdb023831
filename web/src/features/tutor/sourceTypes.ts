// The content type a source is sent with: the browser's when it knows one we read, else by the
// file's extension (browsers often send nothing for .md). The server checks the bytes anyway.
const BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  md: 'text/markdown',
  markdown: 'text/markdown',
  txt: 'text/plain',
  text: 'text/plain',
  html: 'text/html',
  htm: 'text/html',
};

const READ = new Set(Object.values(BY_EXTENSION));

export function sourceContentType(name: string, browserType: string): string {
  if (READ.has(browserType)) return browserType;
  const extension = name.toLowerCase().split('.').pop() ?? '';
  return BY_EXTENSION[extension] ?? (browserType || 'application/octet-stream');
}
