// A chat message's text: its Markdown subset as React elements (chatText.ts), never as HTML.
import { Anchor, Code, Text } from '@mantine/core';
import { Fragment } from 'react';
import { chatLines } from './chatText';

export function ChatText({ text }: { text: string }) {
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {chatLines(text).map((line, i) => (
        <Fragment key={i}>
          {i > 0 && <br />}
          {line.map((segment, j) => {
            switch (segment.kind) {
              case 'bold':
                return <strong key={j}>{segment.text}</strong>;
              case 'italic':
                return <em key={j}>{segment.text}</em>;
              case 'code':
                return <Code key={j}>{segment.text}</Code>;
              case 'link':
                return (
                  <Anchor key={j} href={segment.href} target="_blank" rel="noopener noreferrer nofollow" inherit underline="always">
                    {segment.text}
                  </Anchor>
                );
              default:
                return <Fragment key={j}>{segment.text}</Fragment>;
            }
          })}
        </Fragment>
      ))}
    </Text>
  );
}
