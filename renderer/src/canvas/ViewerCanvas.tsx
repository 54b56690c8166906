import { useEffect, useRef, useState } from 'react';
import { Group, Image as KImage, Layer, Line, Rect, Stage, Text } from 'react-konva';
import { formatLength, scaleBarLength } from '../../../shared/display/scale-bar';
import { intoImage, panBy, screenToImage } from '../image/camera';
import { camera as cameraCommands, probe } from '../image/image-session';
import { editTool } from '../tools/edit-tool';
import { outlineTool, somaTool } from '../tools/soma-tool';
import { autoTrace } from '../tracing/autotrace-session';
import { HIT_TOLERANCE_SCREEN_PX, traceTool } from '../tools/trace-tool';
import { traceStore } from '../tracing/trace-store';
import { ChangesLayer } from './ChangesLayer';
import { DraftLayer } from './DraftLayer';
import { CommentsLayer } from './CommentsLayer';
import { CommentComposer } from '../review/CommentComposer';
import { commentClick, pinAt, useCommentUi } from '../review/comment-actions';
import { ShollLayer, useShollGeometry } from './ShollLayer';
import { TracesLayer } from './TracesLayer';
import { useDoc } from '../stores/doc-store';
import { useViewer, viewer, type Camera } from '../stores/viewer-store';

const WHEEL_ZOOM_PER_PIXEL = 0.0015;

/**
 * The image canvas: an image layer redrawn only when a new bitmap arrives, and a screen-space overlay for the scale
 * bar and the calibration line. Navigation is handled on the container so Konva never hit-tests the image.
 */
export function ViewerCanvas() {
  const hostRef = useRef<HTMLDivElement>(null);
  const bitmap = useViewer((s) => s.bitmap);
  const bitmapRegion = useViewer((s) => s.bitmapRegion);
  const info = useViewer((s) => s.info);
  const cam = useViewer((s) => s.camera);
  const viewport = useViewer((s) => s.viewport);
  const calibration = useDoc((s) => s.history.present.calibration);
  const tool = useViewer((s) => s.tool);
  const pinning = useCommentUi((s) => s.armed);
  const [spaceDown, setSpaceDown] = useState(false);
  const [calLine, setCalLine] = useState<null | { x0: number; y0: number; x1: number; y1: number }>(null);
  const drag = useRef<null | { kind: 'pan' | 'calibrate'; lastX: number; lastY: number }>(null);

  useEffect(() => {
    const el = hostRef.current!;
    const ro = new ResizeObserver(() => {
      const r = el.getBoundingClientRect();
      const first = viewer.get().viewport.width === 800 && viewer.get().viewport.height === 600;
      viewer.set({ viewport: { width: Math.max(1, Math.floor(r.width)), height: Math.max(1, Math.floor(r.height)) } });
      if (first) cameraCommands.fit();
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (e.code === 'Space' && !(e.target instanceof HTMLInputElement)) {
        setSpaceDown(true);
        e.preventDefault();
      }
    };
    const up = (e: KeyboardEvent) => e.code === 'Space' && setSpaceDown(false);
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, []);

  useEffect(() => {
    const el = hostRef.current!;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const sx = e.clientX - r.left;
      const sy = e.clientY - r.top;
      const dy = e.deltaMode === 1 ? e.deltaY * 40 : e.deltaY;
      const dx = e.deltaMode === 1 ? e.deltaX * 40 : e.deltaX;
      if (e.shiftKey) viewer.set({ camera: panBy(viewer.get().camera, -(dx || dy), 0) });
      else if (e.altKey) viewer.set({ camera: panBy(viewer.get().camera, -dx, -dy) });
      else cameraCommands.zoom(Math.exp(-dy * WHEEL_ZOOM_PER_PIXEL), sx, sy);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const local = (e: React.PointerEvent | React.MouseEvent) => {
    const r = hostRef.current!.getBoundingClientRect();
    return { sx: e.clientX - r.left, sy: e.clientY - r.top };
  };
  const tolerance = () => HIT_TOLERANCE_SCREEN_PX / viewer.get().camera.scale;
  /** What a click, a drag or the outline's rubber band places stays in the image (the trace worker keeps its own in). */
  const inImage = (p: { x: number; y: number }): [number, number] => {
    const q = intoImage(p, viewer.get().info!);
    return [q.x, q.y];
  };

  const onPointerDown = (e: React.PointerEvent) => {
    // preventDefault below keeps focus where it was; a click on the image should hand the keyboard back to the tools.
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    const { sx, sy } = local(e);
    const p = screenToImage(viewer.get().camera, sx, sy);
    const hasImage = viewer.get().info !== null;
    // Comment pins come first: an armed pin takes the click, and a click on a marker selects its comment.
    if (e.button === 0 && hasImage && !spaceDown && commentClick(sx, sy, p)) return e.preventDefault();
    let pan = e.button === 1 || (e.button === 0 && (spaceDown || tool === 'navigate'));
    if (!pan && e.button === 0 && hasImage) {
      if (tool === 'calibrate') {
        drag.current = { kind: 'calibrate', lastX: sx, lastY: sy };
        setCalLine({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
      } else if (tool === 'soma') somaTool.click(...inImage(p));
      else if (tool === 'outline') outlineTool.click(...inImage(p));
      else if (tool === 'trace') void traceTool.click(p.x, p.y, tolerance(), e.shiftKey);
      else if (tool === 'auto') void autoTrace([{ x: p.x, y: p.y }]);
      else if (tool === 'edit') pan = !editTool.down(p.x, p.y, tolerance(), viewer.get().camera.scale);
    }
    if (pan) drag.current = { kind: 'pan', lastX: sx, lastY: sy };
    else if (e.button !== 0) return;
    (e.target as Element).setPointerCapture?.(e.pointerId);
    e.preventDefault();
  };

  const onPointerMove = (e: React.PointerEvent) => {
    const { sx, sy } = local(e);
    const c = viewer.get().camera;
    const p = screenToImage(c, sx, sy);
    if (!viewer.get().info) return;
    probe(p.x, p.y);
    const d = drag.current;
    if (d?.kind === 'pan') {
      viewer.set({ camera: panBy(c, sx - d.lastX, sy - d.lastY) });
      d.lastX = sx;
      d.lastY = sy;
      return;
    }
    if (d?.kind === 'calibrate') return setCalLine((l) => (l ? { ...l, x1: p.x, y1: p.y } : l));
    if (tool === 'edit') editTool.move(...inImage(p));
    else if (tool === 'trace') traceTool.move(p.x, p.y, e.shiftKey);
    else if (tool === 'outline') traceStore.set({ hover: inImage(p) });
  };

  const onPointerUp = () => {
    const d = drag.current;
    drag.current = null;
    editTool.up();
    if (d?.kind === 'calibrate' && calLine) {
      const len = Math.hypot(calLine.x1 - calLine.x0, calLine.y1 - calLine.y0);
      if (len >= 2) viewer.set({ calibrationLinePx: len, dialog: 'calibration' });
      setCalLine(null);
    }
  };

  const onDoubleClick = (e: React.MouseEvent) => {
    const { sx, sy } = local(e);
    const p = screenToImage(viewer.get().camera, sx, sy);
    if (tool === 'trace') void traceTool.finish();
    else if (tool === 'outline') outlineTool.finish();
    else if (tool === 'edit') editTool.doubleClick(p.x, p.y, tolerance());
  };

  const umPerScreenPx = calibration ? calibration.pixelWidth / cam.scale : 0;
  const bar = calibration ? scaleBarLength(umPerScreenPx) : null;
  const cursor = pinning ? 'crosshair' : drag.current?.kind === 'pan' ? 'grabbing' : spaceDown || tool === 'navigate' ? 'grab' : tool === 'edit' ? 'default' : 'crosshair';

  return (
    <div
      ref={hostRef}
      className="viewer-canvas"
      data-testid="viewer-canvas"
      style={{ cursor }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onDoubleClick={onDoubleClick}
      onPointerLeave={() => viewer.set({ cursor: null })}
      onAuxClick={(e) => e.preventDefault()}
      onContextMenu={(e) => {
        // Right-click: "comment here", with any tool.
        e.preventDefault();
        if (!viewer.get().info) return;
        const { sx, sy } = local(e);
        const p = screenToImage(viewer.get().camera, sx, sy);
        pinAt(p.x, p.y);
      }}
    >
      <Stage width={viewport.width} height={viewport.height} listening={false}>
        <Layer listening={false} imageSmoothingEnabled={false}>
          {bitmap && info && (
            <Group x={cam.x} y={cam.y} scaleX={cam.scale} scaleY={cam.scale}>
              {/* A tiled image's bitmap is one region of it, possibly at a reduced pyramid level. */}
              <KImage image={bitmap} x={bitmapRegion?.x ?? 0} y={bitmapRegion?.y ?? 0} width={bitmapRegion?.width ?? info.width} height={bitmapRegion?.height ?? info.height} />
            </Group>
          )}
        </Layer>
        <TracingLayers cam={cam} />
        <DraftLayer cam={cam} />
        <CommentsLayer cam={cam} />
        <Layer listening={false}>
          {calLine && (
            <Line
              points={[calLine.x0 * cam.scale + cam.x, calLine.y0 * cam.scale + cam.y, calLine.x1 * cam.scale + cam.x, calLine.y1 * cam.scale + cam.y]}
              stroke="#ffe14d"
              strokeWidth={2}
              dash={[6, 4]}
            />
          )}
          {bar && bar.px > 0 && info && (
            <Group x={viewport.width - bar.px - 24} y={viewport.height - 44}>
              <Rect x={-8} y={-6} width={bar.px + 16} height={34} fill="rgba(0,0,0,0.55)" cornerRadius={4} />
              <Rect x={0} y={18} width={bar.px} height={5} fill="#ffffff" />
              <Text x={0} y={0} width={bar.px} align="center" text={formatLength(bar.um)} fill="#ffffff" fontSize={13} fontFamily="system-ui, sans-serif" />
            </Group>
          )}
        </Layer>
      </Stage>
      <CommentComposer cam={cam} />
    </div>
  );
}

/**
 * The tracings with the Sholl shells under them and the crossing points above them. Its own component, so an edit
 * re-renders these layers and not the whole canvas (the Sholl geometry follows the document).
 */
function TracingLayers({ cam }: { cam: Camera }) {
  // Computed once per edit and shared by both Sholl layers.
  const sholl = useShollGeometry();
  return (
    <>
      <ShollLayer cam={cam} part="circles" geometry={sholl} />
      {/* Under the traces: an added path's halo frames its line instead of covering it. */}
      <ChangesLayer cam={cam} />
      <TracesLayer cam={cam} />
      <ShollLayer cam={cam} part="points" geometry={sholl} />
    </>
  );
}
