// The viewer's one request channel to the extension (typed by ViewerMethods).
import type { ViewerMethods } from '../../../src/shared/protocol';
import { RequestClient } from '../common/requestClient';
import { vscodeApi } from '../common/vscodeApi';

/** Sends the viewer's requests; `settle` is fed every message from the extension. */
export const viewerRequests = new RequestClient<ViewerMethods>((m) => vscodeApi().postMessage(m));

/** Rows per page of the object-type tree. */
export const PAGE = 100;
