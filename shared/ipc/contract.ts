import { z } from 'zod';
import type { AnnotationFile, ImageIdentity } from '../formats/annotation-file';
import type { FileHistory } from '../review/history';
import { ROLES, type ReviewState, type Role } from '../review/status';
import type { AnnotationDocument } from '../model/document';
import type { ResultsModel } from '../report/results-model';
import type { AutotraceTally } from '../project/autotrace-summary';
import type { OutlierFlag } from '../review/outliers';
import type { AppError, Result } from '../result';
import { assignAgreementSchema, type AgreementView, type AssignAgreementRequest } from './agreement-view';

/**
 * The one contract between renderer and main. Every channel names its request and response; main registers a
 * handler for each (a missing one is a compile error), the preload exposes one function per channel, and the E2E
 * harness binds the same handler table to the page. Handlers return Results; a cancelled dialog is `null`, not an error.
 */
export interface IpcContract {
  /** Shows the system Open dialog for images; null when cancelled. */
  'image:openDialog': { req: void; res: OpenedFile | null };
  /** Re-opens an entry of the recent list by its id (main checks the id against its own list). */
  'image:openRecent': { req: { id: string }; res: OpenedFile };
  /** The bundled synthetic sample micrograph, shown when the app starts with nothing else. */
  'image:openSample': { req: void; res: OpenedFile };
  /** A file dropped on the window; the preload resolves the File to a path, the renderer never names one. */
  'image:openDropped': { req: { droppedPath: string }; res: OpenedFile };
  /** Recently opened files, newest first. */
  'recent:list': { req: void; res: RecentEntry[] };
  'recent:clear': { req: void; res: RecentEntry[] };
  /** Tells main what the window title should show (file name, unsaved mark). */
  'window:setTitle': { req: { title: string }; res: void };
  /** Asks main whether a handle is still valid (for state restored after reload). */
  'file:check': { req: { handle: string }; res: { exists: boolean } };
  'app:info': { req: void; res: AppInfo };
  /** Opens the annotations saved for an image (and any newer autosaved state); width/height stamp the identity. */
  'annotation:open': { req: { handle: string; width: number; height: number }; res: OpenedAnnotation };
  /** Saves atomically; refuses with code 'changed-on-disk' unless `force`, when someone else changed the file. */
  'annotation:save': { req: { handle: string; file: AnnotationJson; force?: boolean }; res: SavedAnnotation };
  /** Writes the recovery journal (the renderer debounces edits). */
  'annotation:autosave': { req: { handle: string; file: AnnotationJson }; res: { journaledAt: string } };
  'annotation:restore': { req: { handle: string }; res: AnnotationFile };
  'annotation:discardRecovery': { req: { handle: string }; res: void };
  /** Reads the saved file again (after an external change the user chose to take). */
  'annotation:reload': { req: { handle: string }; res: AnnotationFile };
  /**
   * Asks for an SWC, NeuronJ or Ramify file and reads it as a document to merge; null when cancelled. SWC µm become
   * px by the document's calibration (voxelDepth puts z back onto the stack's slices).
   */
  'annotation:importDialog': { req: { calibration: { pixelWidth: number; pixelHeight: number; voxelDepth?: number } | null }; res: ImportedTracing | null };
  /** Asks where to write the document as SWC (µm) and writes it; null when cancelled. */
  'annotation:exportSwcDialog': { req: { file: AnnotationJson; suggestedName: string }; res: { fileName: string } | null };
  /** Whether the window holds unsaved changes (main asks before closing). */
  'window:setDirty': { req: { dirty: boolean }; res: void };
  /** Closes the window once the renderer has dealt with unsaved changes. */
  'window:close': { req: void; res: void };
  /** Asks for the folder of images a new project is made from, and says what it holds; null when cancelled. */
  'project:chooseFolder': { req: void; res: ChosenFolder | null };
  /**
   * Asks where the merged images go, then writes each site of the chosen ImageXpress plate (its wavelengths one file
   * each) there as one multi-channel image; progress arrives as events. Returns what was done and that folder, ready
   * for 'project:create'; null when the folder dialog is cancelled.
   */
  'project:mergeWavelengths': { req: { folderToken: string }; res: { lines: string[]; folder: ChosenFolder } | null };
  'project:cancelMerge': { req: void; res: void };
  /** Asks for a CSV that maps images to conditions; null when cancelled. */
  'project:chooseCsv': { req: void; res: { csvToken: string; name: string } | null };
  'project:create': { req: { folderToken: string; conditions: ConditionChoice }; res: ProjectView };
  /** Asks for a project folder (or its ramify-project.json) and opens it; null when cancelled. */
  'project:openDialog': { req: void; res: ProjectView | null };
  'project:close': { req: void; res: void };
  'project:view': { req: void; res: ProjectView | null };
  /** Opens an image of the project by id (the renderer never sees its path). */
  'project:openImage': { req: { imageId: string }; res: OpenedFile };
  'project:update': { req: ProjectOp; res: ProjectView };
  /** A small preview of a project image (made once, cached); served like image bytes. */
  'project:thumbnail': { req: { imageId: string }; res: { url: string } };
  /** Every neuron of the project as a gallery tile; missing thumbnails render in a worker and arrive as events. */
  'gallery:open': { req: { size: number }; res: GalleryView };
  /** Stops rendering the gallery's thumbnails (those written so far stay cached). */
  'gallery:cancel': { req: void; res: void };
  /** Asks for an output folder and exports every CSV there; progress arrives as events; null when cancelled. */
  'project:export': { req: { includePixelColumns: boolean; includeSwc: boolean; approvedOnly?: boolean }; res: ExportSummary | null };
  'project:cancelExport': { req: void; res: void };
  /**
   * Traces every image without annotations automatically (never touches annotated ones); progress arrives as events.
   * `skipImageIds`: images open in the app with unsaved work, which are left alone too.
   */
  /** `channel`: 0-based channel to trace (the Tracing panel's; default the first). */
  'project:autotrace': { req: { minBranchUm: number | null; skipImageIds?: string[]; channel?: number; nucleusChannel?: number }; res: AutotraceSummary };
  'project:cancelAutotrace': { req: void; res: void };
  /** Work left unsaved by a crash, newest first, named as the user sees it (coded names in blinded projects). */
  'recovery:list': { req: void; res: RecoverableWork[] };
  /** Reopens the image (and its project) behind a recoverable entry; opening it then offers the restore. */
  'recovery:reopen': { req: { key: string }; res: { file: OpenedFile; project: ProjectView | null; imageId: string | null } };
  /** The user's name and role, set once and stamped on comments and review actions. */
  'settings:get': { req: void; res: UserSettings };
  'settings:set': { req: UserSettings; res: UserSettings };
  /** Sholl curves and group statistics of the open project (condition names replaced by group codes when blinded). */
  'project:results': { req: { control: string | null; unit: string }; res: ResultsView };
  /** Asks where to save the one-file HTML report and writes it; null when cancelled. */
  'project:report': { req: { control: string | null; unit: string }; res: { fileName: string } | null };
  /** Inter-tracer agreement of the open project; null until images are assigned. */
  'project:agreement': { req: void; res: AgreementView | null };
  /** Assigns a seeded share of the images to two tracers (refused once a tracer has saved work). */
  'project:assignAgreement': { req: AssignAgreementRequest; res: AgreementView };
}

/** The gallery of a project's neurons (electron/services/gallery-service.ts). */
export interface GalleryView {
  /** Number of this opening; its thumbnail events carry it, so a stale run's tiles are dropped. */
  serial: number;
  blinded: boolean;
  /** Measurement columns (neurons.csv names) in export order; each tile's `values` follow it. */
  columns: string[];
  /** Condition names; empty when blinded. */
  conditions: string[];
  tiles: GalleryTile[];
  /** Thumbnails still to render; they arrive as 'gallery:thumbs' events. */
  pending: number;
  /** One sentence each (unreadable annotation files and the like). */
  warnings: string[];
}

export interface GalleryTile {
  /** imageId:neuronId. */
  key: string;
  /** The image's token (as in ProjectView). */
  imageId: string;
  neuronId: number;
  neuronName: string;
  /** The image's name, or its code when blinded. */
  imageName: string;
  /** Null when blinded (or when the image has none). */
  condition: string | null;
  status: ReviewState;
  /** One per column; null where neurons.csv leaves the cell empty (excluded neurons have no values). */
  values: Array<number | null>;
  /** Key measures far from the condition's median (robust z, shared/review/outliers.ts). */
  flags: OutlierFlag[];
  /** URL of the cached thumbnail; null until rendered. */
  thumb: string | null;
}

/** What the Results view shows: the model the report is built from, plus the choices it offers. */
export interface ResultsView {
  blinded: boolean;
  /** 'neuron' and the metadata columns (culture, well, …) whose means can be the unit of analysis. */
  units: string[];
  model: ResultsModel;
}

/** Outcome of "Auto-trace all images". */
export interface AutotraceSummary extends AutotraceTally {
  view: ProjectView;
}

/** Unsaved work a crash left in the recovery journal. */
export interface RecoverableWork {
  /** Opaque journal key (not a path). */
  key: string;
  /** The image as the user knows it: file name, or its code in a blinded project. */
  imageName: string;
  /** The project it belongs to; null for an image opened on its own. */
  projectName: string | null;
  journaledAt: string;
  nodes: number;
}

/** Who is using the app: stamped on comments, approvals and requests for changes. */
export interface UserSettings {
  /** Shown as the author of comments and as reviewer; '' until set. */
  userName: string;
  role: Role;
}

/** Checked where `settings:set` enters main. */
export const userSettingsSchema = z.object({ userName: z.string().trim().max(200), role: z.enum(ROLES) }).strict();

/** How a new project assigns conditions. */
export type ConditionChoice = { kind: 'none' } | { kind: 'subfolder' } | { kind: 'regex'; pattern: string } | { kind: 'csv'; csvToken: string };

/** A change to the open project; main applies it and saves the project file. */
export type ProjectOp =
  | { op: 'setMetadata'; imageId: string; column: string; value: string }
  | { op: 'addColumn'; column: string }
  | { op: 'setBlinding'; enabled: boolean }
  | { op: 'setSholl'; sholl: { start: number; step: number; end: number | null } }
  | { op: 'setDisplay'; display: { channels: Array<{ min: number; max: number; color: string }> } | null }
  | { op: 'setTracing'; tracing: { channel: number; nucleusChannel: number | null; minBranchUm: number } };

/** The project as the renderer may see it: under blinding, coded names only and no conditions anywhere. */
export interface ProjectView {
  name: string;
  /** Folder name (empty when blinded). */
  folderName: string;
  blinded: boolean;
  /** Metadata columns shown (condition omitted when blinded). */
  columns: string[];
  /** In list order (shuffled when blinded). */
  /** toCheck: "Auto-trace all images" traced it and nobody has checked that trace yet. */
  images: Array<{ id: string; displayName: string; status: ReviewState; neurons: number; metadata: Record<string, string>; calibrated: boolean; toCheck: boolean }>;
  /**
   * Images and neurons so far per condition (one 'All images' row when blinded); done = ready for review or approved,
   * an automatic trace once checked.
   */
  progress: Array<{ condition: string; images: number; done: number; approved: number; neurons: number }>;
  sholl: { start: number; step: number; end: number | null };
  display: { channels: Array<{ min: number; max: number; color: string }> } | null;
  /** Channels traced and of the nuclear stain (0-based), the automatic tracer's detail (µm); null until chosen for this project. */
  tracing: { channel: number; nucleusChannel: number | null; minBranchUm: number } | null;
  /** Things the user should know after creating or opening. */
  notes: string[];
}

export interface ExportSummary {
  folderName: string;
  files: Array<{ name: string; rows: number | null }>;
  warnings: string[];
  images: number;
  neurons: number;
  /** Approved-only export: neurons left out for not being approved, per status. */
  notApproved?: Partial<Record<ReviewState, number>>;
}

/** An annotation file in its on-disk JSON shape (annotationToJson); main validates it like a file it reads. */
export type AnnotationJson = Record<string, unknown>;

/** What a save answers: the file's name, when it was written, and its history as written (main appends to it). */
export interface SavedAnnotation {
  fileName: string;
  savedAt: string;
  history?: FileHistory;
}

/** What the renderer learns when an image's annotations are opened. */
export interface OpenedAnnotation {
  /** The saved annotations, or null when there are none yet. */
  file: AnnotationFile | null;
  /** Name of the annotation file (saved or to be saved). */
  fileName: string;
  /** Set when the saved annotations were made on a different image; the user decides whether to attach them. */
  identityWarning: string | null;
  /** An autosaved state newer than the saved file (after a crash); the user decides whether to restore it. */
  recovery: { journaledAt: string; nodes: number } | null;
  /** The saved file exists but cannot be read; the app starts empty and never overwrites it without asking. */
  loadError: string | null;
  /** The image's identity (content hash), stamped into files on save; null in a blinded project (it names the file). */
  identity: ImageIdentity | null;
  /**
   * A project image's status when it has no annotation file yet or the project knew better (files of earlier builds
   * whose project said "done" or "excluded"); the file's review takes it.
   */
  status?: { status: ReviewState; reason?: string };
}

/** A tracing file read for import; its ids are its own (merge renumbers them). */
export interface ImportedTracing {
  document: AnnotationDocument;
  kind: 'swc' | 'ndf' | 'ramify';
  warnings: string[];
  fileName: string;
}

/**
 * A folder chosen for a new project: its images, first-level subfolders, and how many ImageXpress sites keep their
 * wavelengths one file each (Merge wavelengths… joins them). `notes`: a sentence per image format in the folder that
 * a project cannot hold (a microscope's own), and one on such a plate's wavelengths.
 */
export interface ChosenFolder {
  folderToken: string;
  name: string;
  images: number;
  subfolders: string[];
  notes: string[];
  wavelengthSites: number;
}

/** Events main pushes to the renderer. */
export interface IpcEvents {
  /** A menu item or accelerator that the renderer carries out. */
  'menu:command': { command: MenuCommand };
  /** Main opened a file on the user's behalf (File ▸ Open…, Open Recent, a file passed on the command line). */
  'file:opened': OpenedFile;
  /** Main could not open what the user asked for. */
  'file:error': AppError;
  /** Export progress: steps done of total. */
  'project:exportProgress': { done: number; total: number };
  /** Automatic tracing of a project: images done of total. */
  'project:autotraceProgress': { done: number; total: number };
  /** Merging a plate's wavelengths: sites done of total. */
  'project:mergeProgress': { done: number; total: number };
  /** Gallery thumbnails rendered (a batch per image), with progress over the whole run. */
  'gallery:thumbs': { serial: number; tiles: Array<{ key: string; url: string }>; done: number; total: number; finished: boolean; error: string | null };
  /** The open annotation file was changed or deleted by another program. */
  'annotation:changedOnDisk': { fileName: string; kind: 'changed' | 'deleted' };
  /** This app saved a project image's annotations and recorded them in the project (views of the project refresh). */
  'project:annotationSaved': { imageId: string };
}

export type MenuCommand =
  | 'file:close'
  | 'file:save'
  | 'file:saveAndClose'
  | 'file:importTracing'
  | 'file:exportSwc'
  | 'project:new'
  | 'project:open'
  | 'project:export'
  | 'project:report'
  | 'image:next'
  | 'image:previous'
  | 'view:zoomIn'
  | 'view:zoomOut'
  | 'view:fit'
  | 'view:actualSize'
  | 'help:shortcuts'
  | 'edit:undo'
  | 'edit:redo';

/** A file main opened for the renderer: an opaque handle plus a URL that serves its bytes. */
export interface OpenedFile {
  /** Opaque token; main maps it to the path and checks it on every use. */
  handle: string;
  /** File name without folders, for display. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** Where the renderer (or its worker) fetches the bytes: a custom protocol in Electron, a routed URL in tests. */
  url: string;
  /** Modification time, ms since epoch. */
  mtimeMs: number;
}

export interface RecentEntry {
  /** Stable id of the entry (not a path). */
  id: string;
  name: string;
  /** Folder shown as a hint under the name. */
  folder: string;
  openedAt: string;
}

export interface AppInfo {
  version: string;
  platform: string;
}

export type Channel = keyof IpcContract;
export type Req<C extends Channel> = IpcContract[C]['req'];
export type Res<C extends Channel> = IpcContract[C]['res'];
export type EventName = keyof IpcEvents;

/** Runtime list of channels; `satisfies` keeps it in step with the contract type. */
export const CHANNELS = [
  'image:openDialog',
  'image:openRecent',
  'image:openSample',
  'image:openDropped',
  'recent:list',
  'recent:clear',
  'window:setTitle',
  'file:check',
  'app:info',
  'annotation:open',
  'annotation:save',
  'annotation:autosave',
  'annotation:restore',
  'annotation:discardRecovery',
  'annotation:reload',
  'annotation:importDialog',
  'annotation:exportSwcDialog',
  'window:setDirty',
  'window:close',
  'project:chooseFolder',
  'project:chooseCsv',
  'project:mergeWavelengths',
  'project:cancelMerge',
  'project:create',
  'project:openDialog',
  'project:close',
  'project:view',
  'project:openImage',
  'project:update',
  'project:thumbnail',
  'gallery:open',
  'gallery:cancel',
  'project:export',
  'project:cancelExport',
  'recovery:list',
  'recovery:reopen',
  'project:autotrace',
  'project:cancelAutotrace',
  'settings:get',
  'settings:set',
  'project:results',
  'project:report',
  'project:agreement',
  'project:assignAgreement',
] as const satisfies readonly Channel[];

type Missing = Exclude<Channel, (typeof CHANNELS)[number]>;
/** Compile-time check that CHANNELS lists every channel. */
export const channelsComplete: Missing extends never ? true : { missing: Missing } = true;

export const EVENTS = ['menu:command', 'file:opened', 'file:error', 'annotation:changedOnDisk', 'project:exportProgress', 'project:autotraceProgress', 'project:mergeProgress', 'gallery:thumbs', 'project:annotationSaved'] as const satisfies readonly EventName[];

/** What main implements: one function per channel. */
export type HandlerTable = { [C in Channel]: (req: Req<C>) => Promise<Result<Res<C>>> };

/**
 * Channels the preload keeps to itself: the renderer cannot name a path, so a dropped file's path is resolved by the
 * preload from a real File object (openDroppedFile) and never passed in by page code.
 */
export const PRELOAD_ONLY_CHANNELS = ['image:openDropped'] as const satisfies readonly Channel[];
export type PageChannel = Exclude<Channel, (typeof PRELOAD_ONLY_CHANNELS)[number]>;
export const PAGE_CHANNELS = CHANNELS.filter((c): c is PageChannel => !(PRELOAD_ONLY_CHANNELS as readonly string[]).includes(c));

/** What the renderer sees as window.api: one function per page channel, event subscription and the drop helper. */
export type RamifyApi = { [C in PageChannel]: Req<C> extends void ? () => Promise<Result<Res<C>>> : (req: Req<C>) => Promise<Result<Res<C>>> } & {
  /** Subscribes to a main → renderer event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: IpcEvents[E]) => void): () => void;
  /** Opens a file dropped on the window (the preload resolves it; the renderer never sees a path). */
  openDroppedFile(file: DroppedFile): Promise<Result<OpenedFile>>;
};

/** A dropped DOM File, seen structurally so shared/ needs no DOM types. */
export interface DroppedFile {
  readonly name: string;
}

/** Channel name as used on the Electron IPC wire. */
export const wireName = (c: Channel | EventName) => `ramify:${c}`;

// ---------------------------------------------------------------------------------------------------------------
// Request schemas: every request is checked where it enters main (validateHandlers), so a bad value is refused with
// an error result before it reaches a file. Values are bounded as the files that store them are (a project setting
// that parseProject would refuse is refused here, or the project could never be opened again).

/** Which measures the Results view and the report compare, against which control, per neuron or per culture/well. */
const resultsRequest = z.object({ control: z.string().max(4096).nullable(), unit: z.string().min(1).max(4096) });

const noRequest = z.union([z.undefined(), z.null()]).transform((): void => undefined);
const token = z.string().min(1).max(4096);
const dimension = z.number().int().min(1).max(1_000_000);
const finite = z.number().finite();
const annotationJson = z.record(z.string(), z.unknown());
const shollRadii = z
  .object({ start: finite.nonnegative(), step: finite.positive(), end: finite.positive().nullable() })
  .refine((s) => s.end === null || s.end > s.start, { message: 'the last Sholl radius must be greater than the first' });
const channelIndex = z.number().int().min(0).max(1023);
const columnName = z.string().max(200).refine((c) => c.trim().length > 0, { message: 'a metadata column needs a name' });

const projectOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('setMetadata'), imageId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/), column: columnName, value: z.string().max(10_000) }),
  z.object({ op: z.literal('addColumn'), column: columnName }),
  z.object({ op: z.literal('setBlinding'), enabled: z.boolean() }),
  z.object({ op: z.literal('setSholl'), sholl: shollRadii }),
  z.object({
    op: z.literal('setDisplay'),
    display: z.object({ channels: z.array(z.object({ min: finite, max: finite, color: z.string().regex(/^#[0-9a-fA-F]{6}$/) })).max(64) }).nullable(),
  }),
  z.object({
    op: z.literal('setTracing'),
    tracing: z
      .object({ channel: channelIndex, nucleusChannel: channelIndex.nullable(), minBranchUm: finite.min(0).max(1000) })
      .refine((t) => t.nucleusChannel !== t.channel, { message: 'the nuclear stain must be another channel than the one traced' }),
  }),
]);

const conditionChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('subfolder') }),
  z.object({ kind: z.literal('regex'), pattern: z.string().min(1).max(1000) }),
  z.object({ kind: z.literal('csv'), csvToken: token }),
]);

/** One zod schema per channel, typed against the contract so a schema cannot drift from its request type. */
export const REQUEST_SCHEMAS: { [C in Channel]: z.ZodType<Req<C>, unknown> } = {
  'image:openDialog': noRequest,
  'image:openRecent': z.object({ id: token }),
  'image:openSample': noRequest,
  'image:openDropped': z.object({ droppedPath: token }),
  'recent:list': noRequest,
  'recent:clear': noRequest,
  'window:setTitle': z.object({ title: z.string().max(4096) }),
  'file:check': z.object({ handle: token }),
  'app:info': noRequest,
  'annotation:open': z.object({ handle: token, width: dimension, height: dimension }),
  'annotation:save': z.object({ handle: token, file: annotationJson, force: z.boolean().optional() }),
  'annotation:autosave': z.object({ handle: token, file: annotationJson }),
  'annotation:restore': z.object({ handle: token }),
  'annotation:discardRecovery': z.object({ handle: token }),
  'annotation:reload': z.object({ handle: token }),
  'annotation:importDialog': z.object({ calibration: z.object({ pixelWidth: finite.positive(), pixelHeight: finite.positive(), voxelDepth: finite.positive().optional() }).nullable() }),
  'annotation:exportSwcDialog': z.object({ file: annotationJson, suggestedName: z.string().min(1).max(255) }),
  'window:setDirty': z.object({ dirty: z.boolean() }),
  'window:close': noRequest,
  'project:chooseFolder': noRequest,
  'project:chooseCsv': noRequest,
  'project:create': z.object({ folderToken: token, conditions: conditionChoice }),
  'project:openDialog': noRequest,
  'project:close': noRequest,
  'project:view': noRequest,
  'project:openImage': z.object({ imageId: token }),
  'project:update': projectOpSchema,
  'project:thumbnail': z.object({ imageId: token }),
  'gallery:open': z.object({ size: z.number().int().min(32).max(512) }),
  'gallery:cancel': noRequest,
  'project:export': z.object({ includePixelColumns: z.boolean(), includeSwc: z.boolean(), approvedOnly: z.boolean().optional() }),
  'project:cancelExport': noRequest,
  'project:mergeWavelengths': z.object({ folderToken: token }),
  'project:cancelMerge': noRequest,
  'project:autotrace': z.object({ minBranchUm: z.number().finite().min(0).max(1000).nullable(), skipImageIds: z.array(token).max(1000).optional(), channel: channelIndex.optional(), nucleusChannel: channelIndex.optional() }),
  'project:cancelAutotrace': noRequest,
  'settings:get': noRequest,
  'settings:set': userSettingsSchema,
  'project:results': resultsRequest,
  'project:report': resultsRequest,
  'recovery:list': noRequest,
  'recovery:reopen': z.object({ key: z.string().regex(/^[a-z0-9-]{1,100}$/) }),
  'project:agreement': noRequest,
  'project:assignAgreement': assignAgreementSchema,
};

/** A readable one-line reason a request was refused (first few problems with where they are). */
export function describeRequestIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Wraps a handler table so each handler only ever sees a request its schema accepted; others get 'bad-request'. */
export function validateHandlers(handlers: HandlerTable): HandlerTable {
  const out: Partial<Record<Channel, (req: unknown) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
    const schema = REQUEST_SCHEMAS[channel];
    out[channel] = async (req: unknown) => {
      const parsed = schema.safeParse(req);
      if (!parsed.success) return { ok: false, error: { code: 'bad-request', message: `Invalid ${channel} request: ${describeRequestIssues(parsed.error)}.` } };
      return handler(parsed.data);
    };
  }
  return out as HandlerTable;
}
