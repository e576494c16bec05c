// Answers the viewer's dominator-tree, retainer-tree and source-link requests from the analysis worker.
import * as vscode from 'vscode';
import { ScriptSources } from '../../core/leak/scriptSources';
import { sourcePosition } from '../../core/heap/query/sourcePosition';
import type { NodeSourceLocation } from '../../core/heap/treeTypes';
import type { OpenedSourceView, ViewerTreeMethods } from '../../shared/viewerTreeProtocol';
import type { SnapshotSource } from './snapshotSource';

type TreeRequest = {
  [M in keyof ViewerTreeMethods]: { method: M; params: ViewerTreeMethods[M]['params'] };
}[keyof ViewerTreeMethods];

/** Script texts and source maps, shared by every viewer (cached per file). */
const sources = new ScriptSources();

/** One tree request's result; rejects with a one-line message. */
export async function answerTreeRequest(
  s: SnapshotSource,
  request: TreeRequest,
): Promise<ViewerTreeMethods[keyof ViewerTreeMethods]['result']> {
  const { handle } = s;
  const client = s.client;
  switch (request.method) {
    case 'dominatorNode':
      return client.call('dominatorNode', { handle, nodeId: request.params.nodeId ?? undefined });
    case 'dominatorTree': {
      const { nodeId, offset, limit } = request.params;
      return client.call('dominatorTree', { handle, nodeId: nodeId ?? undefined, offset, limit });
    }
    case 'retainerTree':
      return client.call('retainerTree', { handle, ...request.params });
    case 'retainerPaths':
      return client.call('retainerTreePaths', { handle, ...request.params });
    case 'ignoreRetainer':
      return client.call('ignoreRetainer', { handle, ...request.params });
    case 'unignoreAllRetainers':
      return client.call('unignoreAllRetainers', { handle });
    case 'openSource': {
      const loc = await client.call('nodeSource', { handle, nodeId: request.params.nodeId });
      if (!loc) throw new Error(`@${request.params.nodeId} has no script location in this snapshot`);
      return openLocation(loc);
    }
    case 'openClassSource': {
      const loc = await client.call('classSource', { handle, classKey: request.params.classKey });
      if (!loc) throw new Error('this class has no constructor location in this snapshot');
      return openLocation(loc);
    }
  }
}

/** Opens a snapshot location (source-mapped when it can be) beside the viewer; says where it went. */
async function openLocation(loc: NodeSourceLocation): Promise<OpenedSourceView> {
  const at = sourcePosition(loc, sources);
  const pos = new vscode.Position(Math.max(0, at.line - 1), Math.max(0, at.column - 1));
  await vscode.window.showTextDocument(vscode.Uri.file(at.file), {
    selection: new vscode.Range(pos, pos),
    preview: false,
    viewColumn: vscode.ViewColumn.Beside,
  });
  return { file: at.file, line: at.line, generated: at.generated };
}
