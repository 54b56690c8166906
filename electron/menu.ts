import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, RecentEntry } from '../shared/ipc/contract';

export interface MenuHandlers {
  open(): void;
  openRecent(id: string): void;
  clearRecent(): void;
  command(command: MenuCommand): void;
}

/**
 * The native menu as data, so it can be checked without Electron. Accelerators use CmdOrCtrl; the renderer also
 * handles the bare keys (+, -, 0, 1) that the menu does not claim. The keys a text field uses (undo, redo, PageUp and
 * PageDown) are shown in the menu but not registered: on Windows and Linux a registered accelerator takes the key
 * before the page sees it, and Ctrl+Z in the neuron-name field undid the last edit of the tracing, unseen, instead of
 * the typing. The renderer handles those keys (commands.ts), leaving them to a text field that has focus.
 */
export function buildMenuTemplate(h: MenuHandlers, recent: RecentEntry[], platform: string): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const cmd = (command: MenuCommand) => () => h.command(command);
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? [
        ...recent.map((r) => ({ label: r.name, sublabel: r.folder, click: () => h.openRecent(r.id) })),
        { type: 'separator' as const },
        { label: 'Clear Recent', click: () => h.clearRecent() },
      ]
    : [{ label: 'No Recent Files', enabled: false }];

  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => h.open() },
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        { label: 'New Project from Folder…', accelerator: 'CmdOrCtrl+Shift+N', click: cmd('project:new') },
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+Shift+O', click: cmd('project:open') },
        { label: 'Export Project CSV…', accelerator: 'CmdOrCtrl+Shift+E', click: cmd('project:export') },
        { label: 'Export Report…', click: cmd('project:report') },
        { type: 'separator' },
        { label: 'Save Tracing', accelerator: 'CmdOrCtrl+S', click: cmd('file:save') },
        { label: 'Import Tracing (SWC, NeuronJ)…', accelerator: 'CmdOrCtrl+I', click: cmd('file:importTracing') },
        { label: 'Export SWC…', accelerator: 'CmdOrCtrl+E', click: cmd('file:exportSwc') },
        { type: 'separator' },
        { label: 'Close Image', accelerator: 'CmdOrCtrl+W', click: cmd('file:close') },
        ...(isMac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }]),
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', registerAccelerator: false, click: cmd('edit:undo') },
        { label: 'Redo', accelerator: isMac ? 'Shift+Cmd+Z' : 'Ctrl+Y', registerAccelerator: false, click: cmd('edit:redo') },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        { label: 'Zoom In', accelerator: 'CmdOrCtrl+=', click: cmd('view:zoomIn') },
        { label: 'Zoom Out', accelerator: 'CmdOrCtrl+-', click: cmd('view:zoomOut') },
        { label: 'Fit to Window', accelerator: 'CmdOrCtrl+0', click: cmd('view:fit') },
        { label: 'Actual Size (100 %)', accelerator: 'CmdOrCtrl+1', click: cmd('view:actualSize') },
        { type: 'separator' },
        { label: 'Next Image in Project', accelerator: 'PageDown', registerAccelerator: false, click: cmd('image:next') },
        { label: 'Previous Image in Project', accelerator: 'PageUp', registerAccelerator: false, click: cmd('image:previous') },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
    {
      label: '&Help',
      submenu: [{ label: 'Keyboard Shortcuts', accelerator: 'F1', click: cmd('help:shortcuts') }],
    },
  ];
}
