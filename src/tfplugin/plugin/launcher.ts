/**
 * The installed provider's first bundle (scripts/provider-install.js builds it beside the provider's
 * own): only the handshake path (./handshake-start), so a launch parses and deserializes a few kB of
 * code before the handshake line rather than the whole provider. Once the line is out it loads the
 * provider's bundle, whose serve() takes over the listening socket, while terraform reads the line
 * and connects (a connection waits in the socket's backlog until then).
 */
import { leaveHandoff, startHandshake } from './handshake-start';

/** `binary` names the executable in messages; `loadProvider` runs the provider's bundle. */
export function launch(binary: string, loadProvider: () => void): void {
  void startHandshake(binary).then((handoff) => {
    leaveHandoff(handoff);
    loadProvider();
  });
}
