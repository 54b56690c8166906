/** Saves a plot's SVG string as an .svg file or as a .png rendered at 2× (browser download). */

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function saveSvg(svg: string, fileName: string): void {
  download(new Blob([svg], { type: 'image/svg+xml' }), `${fileName}.svg`);
}

export async function savePng(svg: string, fileName: string, scale = 2): Promise<void> {
  const w = Number(svg.match(/width="(\d+)"/)?.[1] ?? 640);
  const h = Number(svg.match(/height="(\d+)"/)?.[1] ?? 400);
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = w * scale;
  canvas.height = h * scale;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, w, h);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (blob) download(blob, `${fileName}.png`);
}
