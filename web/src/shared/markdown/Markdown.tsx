// Shows Markdown with math (render.ts). Until the renderer has loaded, the text shows as it is,
// so nothing jumps to empty and the page never waits on it.
import { useEffect, useState } from 'react';

type Render = (text: string) => string;
let renderer: Render | null = null;
let loading: Promise<Render> | null = null;

function loadRenderer(): Promise<Render> {
  loading ??= import('./render').then((m) => {
    renderer = m.renderMarkdown;
    return renderer;
  });
  return loading;
}

export function Markdown({ text, size = 'md', center = false }: { text: string; size?: 'md' | 'lg' | 'xl'; center?: boolean }) {
  const [render, setRender] = useState<Render | null>(() => renderer);
  useEffect(() => {
    if (render) return;
    let live = true;
    void loadRenderer().then((r) => live && setRender(() => r));
    return () => {
      live = false;
    };
  }, [render]);
  const className = `mnemos-md mnemos-md-${size}${center ? ' mnemos-md-center' : ''}`;
  if (!render) return <div className={className} style={{ whiteSpace: 'pre-wrap' }}>{text}</div>;
  return <div className={className} dangerouslySetInnerHTML={{ __html: render(text) }} />;
}
