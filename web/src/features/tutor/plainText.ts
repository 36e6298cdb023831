// A tutor's reply is shown as text: the Markdown marks its quotes carry from the course (a table's
// pipes and rule, bold, code) would be read as noise — "| go | went |" reads "go — went".
export function plainText(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        // A table's rule row: "| --- | :---: |".
        .replace(/\|?(\s*:?-{3,}:?\s*\|)+\s*:?-{0,}:?\s*/g, ' ')
        // Cells: "| a | b |" -> "a — b", rows run together in one quote -> separated.
        .replace(/\|\s*\|/g, ' ; ')
        .replace(/^\s*\|\s*|\s*\|\s*$/g, '')
        .replace(/(«\s*)\|\s*/g, '$1')
        .replace(/\s*\|\s*(»)/g, ' $1')
        .replace(/\s*\|\s*/g, ' — ')
        // Emphasis and code: the words stay.
        .replace(/(\*\*|__)(.+?)\1/g, '$2')
        .replace(/`([^`]+)`/g, '$1')
        .replace(/ {2,}/g, ' ')
        .replace(/\s+;\s+(;\s+)+/g, ' ; '),
    )
    .join('\n');
}
