/**
 * Routes WebSocket upgrades on the broker's HTTP server: /agent for agents,
 * /events for clients; anything else is refused before the handshake.
 */
import { type IncomingMessage, type Server } from 'node:http';
import { type Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { type Broker } from '../broker';
import { type AgentGatewayOptions, DEFAULT_AGENT_GATEWAY_OPTIONS, handleAgentConnection } from './agentGateway';
import { type ClientGatewayOptions, DEFAULT_CLIENT_GATEWAY_OPTIONS, handleClientConnection } from './clientGateway';
import { handleAgentFrame, killSwitchForAgent, probesForAgent, routeCaptureEvents } from './captureRouter';
import { grantsForAgent, routeGrantChanges } from './grantRouter';

export interface GatewayOptions {
  readonly agent?: Partial<AgentGatewayOptions>;
  readonly client?: Partial<ClientGatewayOptions>;
}

export interface Gateways {
  close(): void;
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function attachGateways(server: Server, broker: Broker, options: GatewayOptions = {}): Gateways {
  const agentOptions = { ...DEFAULT_AGENT_GATEWAY_OPTIONS, ...options.agent };
  const clientOptions = { ...DEFAULT_CLIENT_GATEWAY_OPTIONS, ...options.client };
  // ws itself cuts frames far beyond the limit (it closes with 1009); frames
  // up to twice the limit reach our decoder, which answers with an ErrorFrame.
  const agents = new WebSocketServer({ noServer: true, maxPayload: agentOptions.maxFrameBytes * 2 });
  const clients = new WebSocketServer({ noServer: true, maxPayload: clientOptions.maxFrameBytes * 2 });
  const tracker = broker.probeStatuses;
  const stopGrantRouting = routeGrantChanges(broker);
  const stopCaptureRouting = routeCaptureEvents(broker, tracker);
  const stopRouting = () => {
    stopGrantRouting();
    stopCaptureRouting();
  };

  agents.on('connection', (ws) =>
    handleAgentConnection(ws, broker, broker.agents, agentOptions, {
      onAgentReady: async (conn) => {
        // Kill switches go first; while one is on, the agent gets no grants or probes.
        if (await killSwitchForAgent(broker, conn)) return;
        await grantsForAgent(broker, conn);
        await probesForAgent(broker, conn);
      },
      onAgentMessage: (conn, message, frame) => {
        void handleAgentFrame(broker, tracker, conn, message, frame).catch(() => undefined);
      },
    }),
  );
  clients.on('connection', (ws) => handleClientConnection(ws, broker, clientOptions));

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const path = new URL(req.url ?? '/', 'http://broker').pathname;
    const target = path === '/agent' ? agents : path === '/events' ? clients : undefined;
    if (!target) return refuse(socket, '404 Not Found');
    target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  return {
    close() {
      server.off('upgrade', onUpgrade);
      stopRouting();
      for (const ws of agents.clients) ws.terminate();
      for (const ws of clients.clients) ws.terminate();
      agents.close();
      clients.close();
    },
  };
}
