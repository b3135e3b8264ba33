// Reads the extension's settings, clamped to the documented ranges of
// settingsDefaults.ts (a value out of range is used at its nearest bound).
import * as vscode from 'vscode';
import { type SettingKey, settingValue } from './settingsDefaults';

export function setting(key: SettingKey): number {
  const [section = '', ...rest] = key.split('.');
  return settingValue(key, vscode.workspace.getConfiguration(section).get(rest.join('.')));
}

export const requestTimeoutMs = (): number => setting('keyhole.broker.requestTimeoutSeconds') * 1000;
