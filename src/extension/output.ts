// The "Keyhole" output channel: what the extension did and why something
// failed, with codes, in one place the user can copy from.
import * as vscode from 'vscode';
import { errorText } from './errorText';

export class KeyholeOutput implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Keyhole');

  info(line: string): void {
    this.channel.appendLine(`[${new Date().toISOString()}] ${line}`);
  }

  /** Logs the failure and shows it; never throws. */
  fail(what: string, err: unknown): void {
    const text = `${what}: ${errorText(err)}`;
    this.info(text);
    void vscode.window.showErrorMessage(`Keyhole: ${text}`);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
