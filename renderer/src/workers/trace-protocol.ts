/** Requests the tracing worker answers (live-wire on one plane). Positions are image px. */
export type TraceRequest =
  | { type: 'setPlane'; data: ArrayBufferView; width: number; height: number; scale: number }
  | { type: 'anchor'; x: number; y: number }
  | { type: 'path'; x: number; y: number; snap: boolean }
  | { type: 'snap'; x: number; y: number };

export type TraceReply =
  | { type: 'setPlane'; value: { costMs: number } }
  | { type: 'anchor'; value: { searchMs: number; anchor: [number, number] } }
  | { type: 'path'; value: { points: Array<[number, number]>; end: [number, number] } }
  | { type: 'snap'; value: [number, number] };

export type TraceWorkerMessage = { id: number; ok: true; reply: TraceReply } | { id: number; ok: false; error: { code: string; message: string } };
