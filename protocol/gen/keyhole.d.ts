import * as $protobuf from "protobufjs";
import Long = require("long");

export namespace keyhole {

    namespace v1 {

        interface IProtocolVersion extends keyhole.v1.ProtocolVersion.$Properties {
        }

        class ProtocolVersion {
            constructor(properties?: keyhole.v1.ProtocolVersion.$Properties);
            $unknowns?: Uint8Array[];
            major: number;
            minor: number;
            static create(properties: keyhole.v1.ProtocolVersion.$Shape): keyhole.v1.ProtocolVersion & keyhole.v1.ProtocolVersion.$Shape;
            static create(properties?: keyhole.v1.ProtocolVersion.$Properties): keyhole.v1.ProtocolVersion;
            static encode(message: keyhole.v1.ProtocolVersion.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.ProtocolVersion & keyhole.v1.ProtocolVersion.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.ProtocolVersion;
            static toObject(message: keyhole.v1.ProtocolVersion, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace ProtocolVersion {
            interface $Properties {
                major?: number;
                minor?: number;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.ProtocolVersion.$Properties;
        }

        interface IHello extends keyhole.v1.Hello.$Properties {
        }

        class Hello {
            constructor(properties?: keyhole.v1.Hello.$Properties);
            $unknowns?: Uint8Array[];
            version: keyhole.v1.ProtocolVersion;
            service: string;
            labels: { [k: string]: string };
            instanceId: string;
            runtimeVersion: string;
            agentVersion: string;
            pid: number;
            hostname: string;
            token: string;
            static create(properties: keyhole.v1.Hello.$Shape): keyhole.v1.Hello & keyhole.v1.Hello.$Shape;
            static create(properties?: keyhole.v1.Hello.$Properties): keyhole.v1.Hello;
            static encode(message: keyhole.v1.Hello.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.Hello & keyhole.v1.Hello.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.Hello;
            static toObject(message: keyhole.v1.Hello, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace Hello {
            interface $Properties {
                version?: keyhole.v1.ProtocolVersion.$Properties;
                service?: string;
                labels?: { [k: string]: string };
                instanceId?: string;
                runtimeVersion?: string;
                agentVersion?: string;
                pid?: number;
                hostname?: string;
                token?: string;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.Hello.$Properties;
        }

        interface IMaskingAdditions extends keyhole.v1.MaskingAdditions.$Properties {
        }

        class MaskingAdditions {
            constructor(properties?: keyhole.v1.MaskingAdditions.$Properties);
            $unknowns?: Uint8Array[];
            names: string[];
            valuePatterns: string[];
            static create(properties: keyhole.v1.MaskingAdditions.$Shape): keyhole.v1.MaskingAdditions & keyhole.v1.MaskingAdditions.$Shape;
            static create(properties?: keyhole.v1.MaskingAdditions.$Properties): keyhole.v1.MaskingAdditions;
            static encode(message: keyhole.v1.MaskingAdditions.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.MaskingAdditions & keyhole.v1.MaskingAdditions.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.MaskingAdditions;
            static toObject(message: keyhole.v1.MaskingAdditions, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace MaskingAdditions {
            interface $Properties {
                names?: string[];
                valuePatterns?: string[];
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.MaskingAdditions.$Properties;
        }

        interface IWelcome extends keyhole.v1.Welcome.$Properties {
        }

        class Welcome {
            constructor(properties?: keyhole.v1.Welcome.$Properties);
            $unknowns?: Uint8Array[];
            version: keyhole.v1.ProtocolVersion;
            serviceEnabled: boolean;
            message: string;
            heartbeatIntervalMs: number;
            masking: keyhole.v1.MaskingAdditions;
            static create(properties: keyhole.v1.Welcome.$Shape): keyhole.v1.Welcome & keyhole.v1.Welcome.$Shape;
            static create(properties?: keyhole.v1.Welcome.$Properties): keyhole.v1.Welcome;
            static encode(message: keyhole.v1.Welcome.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.Welcome & keyhole.v1.Welcome.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.Welcome;
            static toObject(message: keyhole.v1.Welcome, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace Welcome {
            interface $Properties {
                version?: keyhole.v1.ProtocolVersion.$Properties;
                serviceEnabled?: boolean;
                message?: string;
                heartbeatIntervalMs?: number;
                masking?: keyhole.v1.MaskingAdditions.$Properties;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.Welcome.$Properties;
        }

        interface ISetProbe extends keyhole.v1.SetProbe.$Properties {
        }

        class SetProbe {
            constructor(properties?: keyhole.v1.SetProbe.$Properties);
            $unknowns?: Uint8Array[];
            probe: keyhole.v1.Probe;
            static create(properties: keyhole.v1.SetProbe.$Shape): keyhole.v1.SetProbe & keyhole.v1.SetProbe.$Shape;
            static create(properties?: keyhole.v1.SetProbe.$Properties): keyhole.v1.SetProbe;
            static encode(message: keyhole.v1.SetProbe.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.SetProbe & keyhole.v1.SetProbe.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.SetProbe;
            static toObject(message: keyhole.v1.SetProbe, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace SetProbe {
            interface $Properties {
                probe?: keyhole.v1.Probe.$Properties;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.SetProbe.$Properties;
        }

        interface IRemoveProbe extends keyhole.v1.RemoveProbe.$Properties {
        }

        class RemoveProbe {
            constructor(properties?: keyhole.v1.RemoveProbe.$Properties);
            $unknowns?: Uint8Array[];
            probeId: string;
            reason: string;
            static create(properties: keyhole.v1.RemoveProbe.$Shape): keyhole.v1.RemoveProbe & keyhole.v1.RemoveProbe.$Shape;
            static create(properties?: keyhole.v1.RemoveProbe.$Properties): keyhole.v1.RemoveProbe;
            static encode(message: keyhole.v1.RemoveProbe.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.RemoveProbe & keyhole.v1.RemoveProbe.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.RemoveProbe;
            static toObject(message: keyhole.v1.RemoveProbe, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace RemoveProbe {
            interface $Properties {
                probeId?: string;
                reason?: string;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.RemoveProbe.$Properties;
        }

        interface IGrantDelivery extends keyhole.v1.GrantDelivery.$Properties {
        }

        class GrantDelivery {
            constructor(properties?: keyhole.v1.GrantDelivery.$Properties);
            $unknowns?: Uint8Array[];
            grant: keyhole.v1.SignedGrant;
            static create(properties: keyhole.v1.GrantDelivery.$Shape): keyhole.v1.GrantDelivery & keyhole.v1.GrantDelivery.$Shape;
            static create(properties?: keyhole.v1.GrantDelivery.$Properties): keyhole.v1.GrantDelivery;
            static encode(message: keyhole.v1.GrantDelivery.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.GrantDelivery & keyhole.v1.GrantDelivery.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.GrantDelivery;
            static toObject(message: keyhole.v1.GrantDelivery, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace GrantDelivery {
            interface $Properties {
                grant?: keyhole.v1.SignedGrant.$Properties;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.GrantDelivery.$Properties;
        }

        interface IGrantRevocation extends keyhole.v1.GrantRevocation.$Properties {
        }

        class GrantRevocation {
            constructor(properties?: keyhole.v1.GrantRevocation.$Properties);
            $unknowns?: Uint8Array[];
            grantId: string;
            reason: string;
            static create(properties: keyhole.v1.GrantRevocation.$Shape): keyhole.v1.GrantRevocation & keyhole.v1.GrantRevocation.$Shape;
            static create(properties?: keyhole.v1.GrantRevocation.$Properties): keyhole.v1.GrantRevocation;
            static encode(message: keyhole.v1.GrantRevocation.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.GrantRevocation & keyhole.v1.GrantRevocation.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.GrantRevocation;
            static toObject(message: keyhole.v1.GrantRevocation, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace GrantRevocation {
            interface $Properties {
                grantId?: string;
                reason?: string;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.GrantRevocation.$Properties;
        }

        interface IKillSwitch extends keyhole.v1.KillSwitch.$Properties {
        }

        class KillSwitch {
            constructor(properties?: keyhole.v1.KillSwitch.$Properties);
            $unknowns?: Uint8Array[];
            on: boolean;
            scope: string;
            reason: string;
            static create(properties: keyhole.v1.KillSwitch.$Shape): keyhole.v1.KillSwitch & keyhole.v1.KillSwitch.$Shape;
            static create(properties?: keyhole.v1.KillSwitch.$Properties): keyhole.v1.KillSwitch;
            static encode(message: keyhole.v1.KillSwitch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.KillSwitch & keyhole.v1.KillSwitch.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.KillSwitch;
            static toObject(message: keyhole.v1.KillSwitch, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace KillSwitch {
            interface $Properties {
                on?: boolean;
                scope?: string;
                reason?: string;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.KillSwitch.$Properties;
        }

        interface IAgentStats extends keyhole.v1.AgentStats.$Properties {
        }

        class AgentStats {
            constructor(properties?: keyhole.v1.AgentStats.$Properties);
            $unknowns?: Uint8Array[];
            probesArmed: number;
            queueLength: number;
            droppedFrames: number;
            snapshotsCaptured: number;
            hitsDeclined: number;
            budgetUsedMicros: number;
            pauses: number;
            static create(properties: keyhole.v1.AgentStats.$Shape): keyhole.v1.AgentStats & keyhole.v1.AgentStats.$Shape;
            static create(properties?: keyhole.v1.AgentStats.$Properties): keyhole.v1.AgentStats;
            static encode(message: keyhole.v1.AgentStats.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.AgentStats & keyhole.v1.AgentStats.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.AgentStats;
            static toObject(message: keyhole.v1.AgentStats, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace AgentStats {
            interface $Properties {
                probesArmed?: number;
                queueLength?: number;
                droppedFrames?: number;
                snapshotsCaptured?: number;
                hitsDeclined?: number;
                budgetUsedMicros?: number;
                pauses?: number;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.AgentStats.$Properties;
        }

        interface IHeartbeat extends keyhole.v1.Heartbeat.$Properties {
        }

        class Heartbeat {
            constructor(properties?: keyhole.v1.Heartbeat.$Properties);
            $unknowns?: Uint8Array[];
            sentAtMs: number;
            stats: keyhole.v1.AgentStats;
            static create(properties: keyhole.v1.Heartbeat.$Shape): keyhole.v1.Heartbeat & keyhole.v1.Heartbeat.$Shape;
            static create(properties?: keyhole.v1.Heartbeat.$Properties): keyhole.v1.Heartbeat;
            static encode(message: keyhole.v1.Heartbeat.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.Heartbeat & keyhole.v1.Heartbeat.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.Heartbeat;
            static toObject(message: keyhole.v1.Heartbeat, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace Heartbeat {
            interface $Properties {
                sentAtMs?: number;
                stats?: keyhole.v1.AgentStats.$Properties;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.Heartbeat.$Properties;
        }

        interface IErrorFrame extends keyhole.v1.ErrorFrame.$Properties {
        }

        class ErrorFrame {
            constructor(properties?: keyhole.v1.ErrorFrame.$Properties);
            $unknowns?: Uint8Array[];
            code: string;
            message: string;
            fatal: boolean;
            static create(properties: keyhole.v1.ErrorFrame.$Shape): keyhole.v1.ErrorFrame & keyhole.v1.ErrorFrame.$Shape;
            static create(properties?: keyhole.v1.ErrorFrame.$Properties): keyhole.v1.ErrorFrame;
            static encode(message: keyhole.v1.ErrorFrame.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.ErrorFrame & keyhole.v1.ErrorFrame.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.ErrorFrame;
            static toObject(message: keyhole.v1.ErrorFrame, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace ErrorFrame {
            interface $Properties {
                code?: string;
                message?: string;
                fatal?: boolean;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.ErrorFrame.$Properties;
        }

        interface IAgentMessage extends keyhole.v1.AgentMessage.$Properties {
        }

        class AgentMessage {
            constructor(properties?: keyhole.v1.AgentMessage.$Properties);
            $unknowns?: Uint8Array[];
            hello: (keyhole.v1.Hello|null);
            probeStatus: (keyhole.v1.ProbeStatus|null);
            snapshot: (keyhole.v1.Snapshot|null);
            logLine: (keyhole.v1.LogLine|null);
            heartbeat: (keyhole.v1.Heartbeat|null);
            error: (keyhole.v1.ErrorFrame|null);
            body?: ("hello"|"probeStatus"|"snapshot"|"logLine"|"heartbeat"|"error");
            static create(properties: keyhole.v1.AgentMessage.$Shape): keyhole.v1.AgentMessage & keyhole.v1.AgentMessage.$Shape;
            static create(properties?: keyhole.v1.AgentMessage.$Properties): keyhole.v1.AgentMessage;
            static encode(message: keyhole.v1.AgentMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.AgentMessage & keyhole.v1.AgentMessage.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.AgentMessage;
            static toObject(message: keyhole.v1.AgentMessage, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace AgentMessage {
            interface $Properties {
                hello?: (keyhole.v1.Hello.$Properties|null);
                probeStatus?: (keyhole.v1.ProbeStatus.$Properties|null);
                snapshot?: (keyhole.v1.Snapshot.$Properties|null);
                logLine?: (keyhole.v1.LogLine.$Properties|null);
                heartbeat?: (keyhole.v1.Heartbeat.$Properties|null);
                error?: (keyhole.v1.ErrorFrame.$Properties|null);
                body?: ("hello"|"probeStatus"|"snapshot"|"logLine"|"heartbeat"|"error");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              hello?: keyhole.v1.Hello.$Shape|null;
              probeStatus?: keyhole.v1.ProbeStatus.$Shape|null;
              snapshot?: keyhole.v1.Snapshot.$Shape|null;
              logLine?: keyhole.v1.LogLine.$Shape|null;
              heartbeat?: keyhole.v1.Heartbeat.$Shape|null;
              error?: keyhole.v1.ErrorFrame.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ body?: undefined; hello?: null; probeStatus?: null; snapshot?: null; logLine?: null; heartbeat?: null; error?: null }|{ body?: "hello"; hello: keyhole.v1.Hello.$Shape; probeStatus?: null; snapshot?: null; logLine?: null; heartbeat?: null; error?: null }|{ body?: "probeStatus"; hello?: null; probeStatus: keyhole.v1.ProbeStatus.$Shape; snapshot?: null; logLine?: null; heartbeat?: null; error?: null }|{ body?: "snapshot"; hello?: null; probeStatus?: null; snapshot: keyhole.v1.Snapshot.$Shape; logLine?: null; heartbeat?: null; error?: null }|{ body?: "logLine"; hello?: null; probeStatus?: null; snapshot?: null; logLine: keyhole.v1.LogLine.$Shape; heartbeat?: null; error?: null }|{ body?: "heartbeat"; hello?: null; probeStatus?: null; snapshot?: null; logLine?: null; heartbeat: keyhole.v1.Heartbeat.$Shape; error?: null }|{ body?: "error"; hello?: null; probeStatus?: null; snapshot?: null; logLine?: null; heartbeat?: null; error: keyhole.v1.ErrorFrame.$Shape })
            );
        }

        interface IBrokerMessage extends keyhole.v1.BrokerMessage.$Properties {
        }

        class BrokerMessage {
            constructor(properties?: keyhole.v1.BrokerMessage.$Properties);
            $unknowns?: Uint8Array[];
            welcome: (keyhole.v1.Welcome|null);
            setProbe: (keyhole.v1.SetProbe|null);
            removeProbe: (keyhole.v1.RemoveProbe|null);
            grant: (keyhole.v1.GrantDelivery|null);
            revocation: (keyhole.v1.GrantRevocation|null);
            killSwitch: (keyhole.v1.KillSwitch|null);
            heartbeat: (keyhole.v1.Heartbeat|null);
            error: (keyhole.v1.ErrorFrame|null);
            body?: ("welcome"|"setProbe"|"removeProbe"|"grant"|"revocation"|"killSwitch"|"heartbeat"|"error");
            static create(properties: keyhole.v1.BrokerMessage.$Shape): keyhole.v1.BrokerMessage & keyhole.v1.BrokerMessage.$Shape;
            static create(properties?: keyhole.v1.BrokerMessage.$Properties): keyhole.v1.BrokerMessage;
            static encode(message: keyhole.v1.BrokerMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.BrokerMessage & keyhole.v1.BrokerMessage.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.BrokerMessage;
            static toObject(message: keyhole.v1.BrokerMessage, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace BrokerMessage {
            interface $Properties {
                welcome?: (keyhole.v1.Welcome.$Properties|null);
                setProbe?: (keyhole.v1.SetProbe.$Properties|null);
                removeProbe?: (keyhole.v1.RemoveProbe.$Properties|null);
                grant?: (keyhole.v1.GrantDelivery.$Properties|null);
                revocation?: (keyhole.v1.GrantRevocation.$Properties|null);
                killSwitch?: (keyhole.v1.KillSwitch.$Properties|null);
                heartbeat?: (keyhole.v1.Heartbeat.$Properties|null);
                error?: (keyhole.v1.ErrorFrame.$Properties|null);
                body?: ("welcome"|"setProbe"|"removeProbe"|"grant"|"revocation"|"killSwitch"|"heartbeat"|"error");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              welcome?: keyhole.v1.Welcome.$Shape|null;
              setProbe?: keyhole.v1.SetProbe.$Shape|null;
              removeProbe?: keyhole.v1.RemoveProbe.$Shape|null;
              grant?: keyhole.v1.GrantDelivery.$Shape|null;
              revocation?: keyhole.v1.GrantRevocation.$Shape|null;
              killSwitch?: keyhole.v1.KillSwitch.$Shape|null;
              heartbeat?: keyhole.v1.Heartbeat.$Shape|null;
              error?: keyhole.v1.ErrorFrame.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ body?: undefined; welcome?: null; setProbe?: null; removeProbe?: null; grant?: null; revocation?: null; killSwitch?: null; heartbeat?: null; error?: null }|{ body?: "welcome"; welcome: keyhole.v1.Welcome.$Shape; setProbe?: null; removeProbe?: null; grant?: null; revocation?: null; killSwitch?: null; heartbeat?: null; error?: null }|{ body?: "setProbe"; welcome?: null; setProbe: keyhole.v1.SetProbe.$Shape; removeProbe?: null; grant?: null; revocation?: null; killSwitch?: null; heartbeat?: null; error?: null }|{ body?: "removeProbe"; welcome?: null; setProbe?: null; removeProbe: keyhole.v1.RemoveProbe.$Shape; grant?: null; revocation?: null; killSwitch?: null; heartbeat?: null; error?: null }|{ body?: "grant"; welcome?: null; setProbe?: null; removeProbe?: null; grant: keyhole.v1.GrantDelivery.$Shape; revocation?: null; killSwitch?: null; heartbeat?: null; error?: null }|{ body?: "revocation"; welcome?: null; setProbe?: null; removeProbe?: null; grant?: null; revocation: keyhole.v1.GrantRevocation.$Shape; killSwitch?: null; heartbeat?: null; error?: null }|{ body?: "killSwitch"; welcome?: null; setProbe?: null; removeProbe?: null; grant?: null; revocation?: null; killSwitch: keyhole.v1.KillSwitch.$Shape; heartbeat?: null; error?: null }|{ body?: "heartbeat"; welcome?: null; setProbe?: null; removeProbe?: null; grant?: null; revocation?: null; killSwitch?: null; heartbeat: keyhole.v1.Heartbeat.$Shape; error?: null }|{ body?: "error"; welcome?: null; setProbe?: null; removeProbe?: null; grant?: null; revocation?: null; killSwitch?: null; heartbeat?: null; error: keyhole.v1.ErrorFrame.$Shape })
            );
        }

        enum ValueKind {
            VALUE_KIND_UNSPECIFIED = 0,
            UNDEFINED = 1,
            NULL = 2,
            BOOLEAN = 3,
            NUMBER = 4,
            STRING = 5,
            BIGINT = 6,
            SYMBOL = 7,
            OBJECT = 8,
            ARRAY = 9,
            FUNCTION = 10,
            MAP = 11,
            SET = 12,
            DATE = 13,
            REGEXP = 14,
            ERROR = 15,
            TYPED_ARRAY = 16,
            PROXY = 17,
            GETTER = 18,
            CYCLE = 19,
            PROMISE = 20,
            WEAK_COLLECTION = 21,
            ARRAY_BUFFER = 22,
            OTHER = 23
        }

        enum CutReason {
            CUT_REASON_UNSPECIFIED = 0,
            STRING_LENGTH = 1,
            PROPERTY_COUNT = 2,
            COLLECTION_ITEMS = 3,
            DEPTH = 4,
            BYTES = 5,
            TIME = 6
        }

        interface ICut extends keyhole.v1.Cut.$Properties {
        }

        class Cut {
            constructor(properties?: keyhole.v1.Cut.$Properties);
            $unknowns?: Uint8Array[];
            reason: keyhole.v1.CutReason;
            originalSize: number;
            static create(properties: keyhole.v1.Cut.$Shape): keyhole.v1.Cut & keyhole.v1.Cut.$Shape;
            static create(properties?: keyhole.v1.Cut.$Properties): keyhole.v1.Cut;
            static encode(message: keyhole.v1.Cut.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.Cut & keyhole.v1.Cut.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.Cut;
            static toObject(message: keyhole.v1.Cut, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace Cut {
            interface $Properties {
                reason?: keyhole.v1.CutReason;
                originalSize?: number;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.Cut.$Properties;
        }

        interface IValue extends keyhole.v1.Value.$Properties {
        }

        class Value {
            constructor(properties?: keyhole.v1.Value.$Properties);
            $unknowns?: Uint8Array[];
            kind: keyhole.v1.ValueKind;
            text: string;
            className: string;
            properties: keyhole.v1.Property[];
            entries: keyhole.v1.MapEntry[];
            cut: keyhole.v1.Cut;
            masked: string[];
            static create(properties: keyhole.v1.Value.$Shape): keyhole.v1.Value & keyhole.v1.Value.$Shape;
            static create(properties?: keyhole.v1.Value.$Properties): keyhole.v1.Value;
            static encode(message: keyhole.v1.Value.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.Value & keyhole.v1.Value.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.Value;
            static toObject(message: keyhole.v1.Value, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace Value {
            interface $Properties {
                kind?: keyhole.v1.ValueKind;
                text?: string;
                className?: string;
                properties?: keyhole.v1.Property.$Properties[];
                entries?: keyhole.v1.MapEntry.$Properties[];
                cut?: keyhole.v1.Cut.$Properties;
                masked?: string[];
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.Value.$Properties;
        }

        interface IProperty extends keyhole.v1.Property.$Properties {
        }

        class Property {
            constructor(properties?: keyhole.v1.Property.$Properties);
            $unknowns?: Uint8Array[];
            name: string;
            value: keyhole.v1.Value;
            static create(properties: keyhole.v1.Property.$Shape): keyhole.v1.Property & keyhole.v1.Property.$Shape;
            static create(properties?: keyhole.v1.Property.$Properties): keyhole.v1.Property;
            static encode(message: keyhole.v1.Property.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.Property & keyhole.v1.Property.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.Property;
            static toObject(message: keyhole.v1.Property, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace Property {
            interface $Properties {
                name?: string;
                value?: keyhole.v1.Value.$Properties;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.Property.$Properties;
        }

        interface IMapEntry extends keyhole.v1.MapEntry.$Properties {
        }

        class MapEntry {
            constructor(properties?: keyhole.v1.MapEntry.$Properties);
            $unknowns?: Uint8Array[];
            key: keyhole.v1.Value;
            value: keyhole.v1.Value;
            static create(properties: keyhole.v1.MapEntry.$Shape): keyhole.v1.MapEntry & keyhole.v1.MapEntry.$Shape;
            static create(properties?: keyhole.v1.MapEntry.$Properties): keyhole.v1.MapEntry;
            static encode(message: keyhole.v1.MapEntry.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.MapEntry & keyhole.v1.MapEntry.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.MapEntry;
            static toObject(message: keyhole.v1.MapEntry, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace MapEntry {
            interface $Properties {
                key?: keyhole.v1.Value.$Properties;
                value?: keyhole.v1.Value.$Properties;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.MapEntry.$Properties;
        }

        enum ScopeKind {
            SCOPE_KIND_UNSPECIFIED = 0,
            LOCAL = 1,
            CLOSURE = 2,
            THIS = 3,
            BLOCK = 4,
            MODULE = 5,
            CATCH = 6
        }

        interface IScope extends keyhole.v1.Scope.$Properties {
        }

        class Scope {
            constructor(properties?: keyhole.v1.Scope.$Properties);
            $unknowns?: Uint8Array[];
            kind: keyhole.v1.ScopeKind;
            name: string;
            variables: keyhole.v1.Property[];
            cut: keyhole.v1.Cut;
            static create(properties: keyhole.v1.Scope.$Shape): keyhole.v1.Scope & keyhole.v1.Scope.$Shape;
            static create(properties?: keyhole.v1.Scope.$Properties): keyhole.v1.Scope;
            static encode(message: keyhole.v1.Scope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.Scope & keyhole.v1.Scope.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.Scope;
            static toObject(message: keyhole.v1.Scope, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace Scope {
            interface $Properties {
                kind?: keyhole.v1.ScopeKind;
                name?: string;
                variables?: keyhole.v1.Property.$Properties[];
                cut?: keyhole.v1.Cut.$Properties;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.Scope.$Properties;
        }

        interface IPosition extends keyhole.v1.Position.$Properties {
        }

        class Position {
            constructor(properties?: keyhole.v1.Position.$Properties);
            $unknowns?: Uint8Array[];
            path: string;
            line: number;
            column: number;
            static create(properties: keyhole.v1.Position.$Shape): keyhole.v1.Position & keyhole.v1.Position.$Shape;
            static create(properties?: keyhole.v1.Position.$Properties): keyhole.v1.Position;
            static encode(message: keyhole.v1.Position.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.Position & keyhole.v1.Position.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.Position;
            static toObject(message: keyhole.v1.Position, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace Position {
            interface $Properties {
                path?: string;
                line?: number;
                column?: number;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.Position.$Properties;
        }

        interface IStackFrame extends keyhole.v1.StackFrame.$Properties {
        }

        class StackFrame {
            constructor(properties?: keyhole.v1.StackFrame.$Properties);
            $unknowns?: Uint8Array[];
            functionName: string;
            generated: keyhole.v1.Position;
            original: keyhole.v1.Position;
            scopes: keyhole.v1.Scope[];
            localsCaptured: boolean;
            static create(properties: keyhole.v1.StackFrame.$Shape): keyhole.v1.StackFrame & keyhole.v1.StackFrame.$Shape;
            static create(properties?: keyhole.v1.StackFrame.$Properties): keyhole.v1.StackFrame;
            static encode(message: keyhole.v1.StackFrame.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.StackFrame & keyhole.v1.StackFrame.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.StackFrame;
            static toObject(message: keyhole.v1.StackFrame, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace StackFrame {
            interface $Properties {
                functionName?: string;
                generated?: keyhole.v1.Position.$Properties;
                original?: keyhole.v1.Position.$Properties;
                scopes?: keyhole.v1.Scope.$Properties[];
                localsCaptured?: boolean;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.StackFrame.$Properties;
        }

        interface ICaptureError extends keyhole.v1.CaptureError.$Properties {
        }

        class CaptureError {
            constructor(properties?: keyhole.v1.CaptureError.$Properties);
            $unknowns?: Uint8Array[];
            code: string;
            message: string;
            static create(properties: keyhole.v1.CaptureError.$Shape): keyhole.v1.CaptureError & keyhole.v1.CaptureError.$Shape;
            static create(properties?: keyhole.v1.CaptureError.$Properties): keyhole.v1.CaptureError;
            static encode(message: keyhole.v1.CaptureError.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.CaptureError & keyhole.v1.CaptureError.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.CaptureError;
            static toObject(message: keyhole.v1.CaptureError, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace CaptureError {
            interface $Properties {
                code?: string;
                message?: string;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.CaptureError.$Properties;
        }

        interface ICaptureStats extends keyhole.v1.CaptureStats.$Properties {
        }

        class CaptureStats {
            constructor(properties?: keyhole.v1.CaptureStats.$Properties);
            $unknowns?: Uint8Array[];
            durationMicros: number;
            encodedBytes: number;
            framesTotal: number;
            static create(properties: keyhole.v1.CaptureStats.$Shape): keyhole.v1.CaptureStats & keyhole.v1.CaptureStats.$Shape;
            static create(properties?: keyhole.v1.CaptureStats.$Properties): keyhole.v1.CaptureStats;
            static encode(message: keyhole.v1.CaptureStats.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.CaptureStats & keyhole.v1.CaptureStats.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.CaptureStats;
            static toObject(message: keyhole.v1.CaptureStats, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace CaptureStats {
            interface $Properties {
                durationMicros?: number;
                encodedBytes?: number;
                framesTotal?: number;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.CaptureStats.$Properties;
        }

        interface ISnapshot extends keyhole.v1.Snapshot.$Properties {
        }

        class Snapshot {
            constructor(properties?: keyhole.v1.Snapshot.$Properties);
            $unknowns?: Uint8Array[];
            id: string;
            probeId: string;
            grantId: string;
            service: string;
            instanceId: string;
            capturedAtMs: number;
            frames: keyhole.v1.StackFrame[];
            framesCut: keyhole.v1.Cut;
            errors: keyhole.v1.CaptureError[];
            traceId: string;
            spanId: string;
            stats: keyhole.v1.CaptureStats;
            maskedKinds: string[];
            static create(properties: keyhole.v1.Snapshot.$Shape): keyhole.v1.Snapshot & keyhole.v1.Snapshot.$Shape;
            static create(properties?: keyhole.v1.Snapshot.$Properties): keyhole.v1.Snapshot;
            static encode(message: keyhole.v1.Snapshot.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.Snapshot & keyhole.v1.Snapshot.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.Snapshot;
            static toObject(message: keyhole.v1.Snapshot, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace Snapshot {
            interface $Properties {
                id?: string;
                probeId?: string;
                grantId?: string;
                service?: string;
                instanceId?: string;
                capturedAtMs?: number;
                frames?: keyhole.v1.StackFrame.$Properties[];
                framesCut?: keyhole.v1.Cut.$Properties;
                errors?: keyhole.v1.CaptureError.$Properties[];
                traceId?: string;
                spanId?: string;
                stats?: keyhole.v1.CaptureStats.$Properties;
                maskedKinds?: string[];
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.Snapshot.$Properties;
        }

        interface ILogLine extends keyhole.v1.LogLine.$Properties {
        }

        class LogLine {
            constructor(properties?: keyhole.v1.LogLine.$Properties);
            $unknowns?: Uint8Array[];
            probeId: string;
            grantId: string;
            service: string;
            instanceId: string;
            loggedAtMs: number;
            message: string;
            location: keyhole.v1.Position;
            traceId: string;
            spanId: string;
            maskedKinds: string[];
            static create(properties: keyhole.v1.LogLine.$Shape): keyhole.v1.LogLine & keyhole.v1.LogLine.$Shape;
            static create(properties?: keyhole.v1.LogLine.$Properties): keyhole.v1.LogLine;
            static encode(message: keyhole.v1.LogLine.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.LogLine & keyhole.v1.LogLine.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.LogLine;
            static toObject(message: keyhole.v1.LogLine, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace LogLine {
            interface $Properties {
                probeId?: string;
                grantId?: string;
                service?: string;
                instanceId?: string;
                loggedAtMs?: number;
                message?: string;
                location?: keyhole.v1.Position.$Properties;
                traceId?: string;
                spanId?: string;
                maskedKinds?: string[];
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.LogLine.$Properties;
        }

        enum ProbeKind {
            PROBE_KIND_UNSPECIFIED = 0,
            SNAPSHOT = 1,
            LOGPOINT = 2
        }

        interface IProbeLocation extends keyhole.v1.ProbeLocation.$Properties {
        }

        class ProbeLocation {
            constructor(properties?: keyhole.v1.ProbeLocation.$Properties);
            $unknowns?: Uint8Array[];
            path: string;
            line: number;
            column: number;
            static create(properties: keyhole.v1.ProbeLocation.$Shape): keyhole.v1.ProbeLocation & keyhole.v1.ProbeLocation.$Shape;
            static create(properties?: keyhole.v1.ProbeLocation.$Properties): keyhole.v1.ProbeLocation;
            static encode(message: keyhole.v1.ProbeLocation.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.ProbeLocation & keyhole.v1.ProbeLocation.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.ProbeLocation;
            static toObject(message: keyhole.v1.ProbeLocation, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace ProbeLocation {
            interface $Properties {
                path?: string;
                line?: number;
                column?: number;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.ProbeLocation.$Properties;
        }

        interface IProbe extends keyhole.v1.Probe.$Properties {
        }

        class Probe {
            constructor(properties?: keyhole.v1.Probe.$Properties);
            $unknowns?: Uint8Array[];
            id: string;
            grantId: string;
            kind: keyhole.v1.ProbeKind;
            location: keyhole.v1.ProbeLocation;
            condition: string;
            hitCondition: string;
            logTemplate: string;
            maxHits: number;
            expiresAtMs: number;
            createdBy: string;
            framesWithLocals: number;
            static create(properties: keyhole.v1.Probe.$Shape): keyhole.v1.Probe & keyhole.v1.Probe.$Shape;
            static create(properties?: keyhole.v1.Probe.$Properties): keyhole.v1.Probe;
            static encode(message: keyhole.v1.Probe.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.Probe & keyhole.v1.Probe.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.Probe;
            static toObject(message: keyhole.v1.Probe, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace Probe {
            interface $Properties {
                id?: string;
                grantId?: string;
                kind?: keyhole.v1.ProbeKind;
                location?: keyhole.v1.ProbeLocation.$Properties;
                condition?: string;
                hitCondition?: string;
                logTemplate?: string;
                maxHits?: number;
                expiresAtMs?: number;
                createdBy?: string;
                framesWithLocals?: number;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.Probe.$Properties;
        }

        enum ProbeState {
            PROBE_STATE_UNSPECIFIED = 0,
            PENDING = 1,
            INSTALLED = 2,
            REFUSED = 3,
            ERROR = 4,
            FILE_NOT_FOUND = 5,
            AMBIGUOUS = 6,
            EXPIRED = 7,
            COMPLETED = 8,
            REMOVED = 9
        }

        interface IProbeStatus extends keyhole.v1.ProbeStatus.$Properties {
        }

        class ProbeStatus {
            constructor(properties?: keyhole.v1.ProbeStatus.$Properties);
            $unknowns?: Uint8Array[];
            probeId: string;
            state: keyhole.v1.ProbeState;
            code: string;
            message: string;
            candidates: string[];
            resolvedUrl: string;
            resolvedLine: number;
            deployedSha256: string;
            hits: number;
            instanceId: string;
            updatedAtMs: number;
            static create(properties: keyhole.v1.ProbeStatus.$Shape): keyhole.v1.ProbeStatus & keyhole.v1.ProbeStatus.$Shape;
            static create(properties?: keyhole.v1.ProbeStatus.$Properties): keyhole.v1.ProbeStatus;
            static encode(message: keyhole.v1.ProbeStatus.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.ProbeStatus & keyhole.v1.ProbeStatus.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.ProbeStatus;
            static toObject(message: keyhole.v1.ProbeStatus, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace ProbeStatus {
            interface $Properties {
                probeId?: string;
                state?: keyhole.v1.ProbeState;
                code?: string;
                message?: string;
                candidates?: string[];
                resolvedUrl?: string;
                resolvedLine?: number;
                deployedSha256?: string;
                hits?: number;
                instanceId?: string;
                updatedAtMs?: number;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.ProbeStatus.$Properties;
        }

        interface IGrantBody extends keyhole.v1.GrantBody.$Properties {
        }

        class GrantBody {
            constructor(properties?: keyhole.v1.GrantBody.$Properties);
            $unknowns?: Uint8Array[];
            grantId: string;
            service: string;
            selector: { [k: string]: string };
            scopeGlobs: string[];
            kinds: keyhole.v1.ProbeKind[];
            requester: string;
            reason: string;
            ticket: string;
            notBeforeMs: number;
            notAfterMs: number;
            maxHitsPerProbe: number;
            nonce: Uint8Array;
            static create(properties: keyhole.v1.GrantBody.$Shape): keyhole.v1.GrantBody & keyhole.v1.GrantBody.$Shape;
            static create(properties?: keyhole.v1.GrantBody.$Properties): keyhole.v1.GrantBody;
            static encode(message: keyhole.v1.GrantBody.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.GrantBody & keyhole.v1.GrantBody.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.GrantBody;
            static toObject(message: keyhole.v1.GrantBody, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace GrantBody {
            interface $Properties {
                grantId?: string;
                service?: string;
                selector?: { [k: string]: string };
                scopeGlobs?: string[];
                kinds?: keyhole.v1.ProbeKind[];
                requester?: string;
                reason?: string;
                ticket?: string;
                notBeforeMs?: number;
                notAfterMs?: number;
                maxHitsPerProbe?: number;
                nonce?: Uint8Array;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.GrantBody.$Properties;
        }

        interface IApproval extends keyhole.v1.Approval.$Properties {
        }

        class Approval {
            constructor(properties?: keyhole.v1.Approval.$Properties);
            $unknowns?: Uint8Array[];
            approverId: string;
            signature: Uint8Array;
            signedAtMs: number;
            static create(properties: keyhole.v1.Approval.$Shape): keyhole.v1.Approval & keyhole.v1.Approval.$Shape;
            static create(properties?: keyhole.v1.Approval.$Properties): keyhole.v1.Approval;
            static encode(message: keyhole.v1.Approval.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.Approval & keyhole.v1.Approval.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.Approval;
            static toObject(message: keyhole.v1.Approval, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace Approval {
            interface $Properties {
                approverId?: string;
                signature?: Uint8Array;
                signedAtMs?: number;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.Approval.$Properties;
        }

        interface ISignedGrant extends keyhole.v1.SignedGrant.$Properties {
        }

        class SignedGrant {
            constructor(properties?: keyhole.v1.SignedGrant.$Properties);
            $unknowns?: Uint8Array[];
            body: Uint8Array;
            approvals: keyhole.v1.Approval[];
            static create(properties: keyhole.v1.SignedGrant.$Shape): keyhole.v1.SignedGrant & keyhole.v1.SignedGrant.$Shape;
            static create(properties?: keyhole.v1.SignedGrant.$Properties): keyhole.v1.SignedGrant;
            static encode(message: keyhole.v1.SignedGrant.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.SignedGrant & keyhole.v1.SignedGrant.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.SignedGrant;
            static toObject(message: keyhole.v1.SignedGrant, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace SignedGrant {
            interface $Properties {
                body?: Uint8Array;
                approvals?: keyhole.v1.Approval.$Properties[];
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.SignedGrant.$Properties;
        }

        interface IClientHello extends keyhole.v1.ClientHello.$Properties {
        }

        class ClientHello {
            constructor(properties?: keyhole.v1.ClientHello.$Properties);
            $unknowns?: Uint8Array[];
            version: keyhole.v1.ProtocolVersion;
            token: string;
            service: string;
            static create(properties: keyhole.v1.ClientHello.$Shape): keyhole.v1.ClientHello & keyhole.v1.ClientHello.$Shape;
            static create(properties?: keyhole.v1.ClientHello.$Properties): keyhole.v1.ClientHello;
            static encode(message: keyhole.v1.ClientHello.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.ClientHello & keyhole.v1.ClientHello.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.ClientHello;
            static toObject(message: keyhole.v1.ClientHello, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace ClientHello {
            interface $Properties {
                version?: keyhole.v1.ProtocolVersion.$Properties;
                token?: string;
                service?: string;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.ClientHello.$Properties;
        }

        interface ISnapshotArrived extends keyhole.v1.SnapshotArrived.$Properties {
        }

        class SnapshotArrived {
            constructor(properties?: keyhole.v1.SnapshotArrived.$Properties);
            $unknowns?: Uint8Array[];
            snapshot: keyhole.v1.Snapshot;
            static create(properties: keyhole.v1.SnapshotArrived.$Shape): keyhole.v1.SnapshotArrived & keyhole.v1.SnapshotArrived.$Shape;
            static create(properties?: keyhole.v1.SnapshotArrived.$Properties): keyhole.v1.SnapshotArrived;
            static encode(message: keyhole.v1.SnapshotArrived.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.SnapshotArrived & keyhole.v1.SnapshotArrived.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.SnapshotArrived;
            static toObject(message: keyhole.v1.SnapshotArrived, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace SnapshotArrived {
            interface $Properties {
                snapshot?: keyhole.v1.Snapshot.$Properties;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.SnapshotArrived.$Properties;
        }

        interface IProbeStatusChanged extends keyhole.v1.ProbeStatusChanged.$Properties {
        }

        class ProbeStatusChanged {
            constructor(properties?: keyhole.v1.ProbeStatusChanged.$Properties);
            $unknowns?: Uint8Array[];
            probeId: string;
            instances: keyhole.v1.ProbeStatus[];
            installed: number;
            targeted: number;
            static create(properties: keyhole.v1.ProbeStatusChanged.$Shape): keyhole.v1.ProbeStatusChanged & keyhole.v1.ProbeStatusChanged.$Shape;
            static create(properties?: keyhole.v1.ProbeStatusChanged.$Properties): keyhole.v1.ProbeStatusChanged;
            static encode(message: keyhole.v1.ProbeStatusChanged.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.ProbeStatusChanged & keyhole.v1.ProbeStatusChanged.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.ProbeStatusChanged;
            static toObject(message: keyhole.v1.ProbeStatusChanged, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace ProbeStatusChanged {
            interface $Properties {
                probeId?: string;
                instances?: keyhole.v1.ProbeStatus.$Properties[];
                installed?: number;
                targeted?: number;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.ProbeStatusChanged.$Properties;
        }

        enum GrantState {
            GRANT_STATE_UNSPECIFIED = 0,
            REQUESTED = 1,
            APPROVED = 2,
            REJECTED = 3,
            REVOKED = 4,
            GRANT_EXPIRED = 5
        }

        interface IGrantSummary extends keyhole.v1.GrantSummary.$Properties {
        }

        class GrantSummary {
            constructor(properties?: keyhole.v1.GrantSummary.$Properties);
            $unknowns?: Uint8Array[];
            grantId: string;
            state: keyhole.v1.GrantState;
            service: string;
            requester: string;
            approvers: string[];
            approvalsNeeded: number;
            notBeforeMs: number;
            notAfterMs: number;
            scopeGlobs: string[];
            kinds: keyhole.v1.ProbeKind[];
            reason: string;
            ticket: string;
            static create(properties: keyhole.v1.GrantSummary.$Shape): keyhole.v1.GrantSummary & keyhole.v1.GrantSummary.$Shape;
            static create(properties?: keyhole.v1.GrantSummary.$Properties): keyhole.v1.GrantSummary;
            static encode(message: keyhole.v1.GrantSummary.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.GrantSummary & keyhole.v1.GrantSummary.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.GrantSummary;
            static toObject(message: keyhole.v1.GrantSummary, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace GrantSummary {
            interface $Properties {
                grantId?: string;
                state?: keyhole.v1.GrantState;
                service?: string;
                requester?: string;
                approvers?: string[];
                approvalsNeeded?: number;
                notBeforeMs?: number;
                notAfterMs?: number;
                scopeGlobs?: string[];
                kinds?: keyhole.v1.ProbeKind[];
                reason?: string;
                ticket?: string;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.GrantSummary.$Properties;
        }

        interface IGrantChanged extends keyhole.v1.GrantChanged.$Properties {
        }

        class GrantChanged {
            constructor(properties?: keyhole.v1.GrantChanged.$Properties);
            $unknowns?: Uint8Array[];
            grant: keyhole.v1.GrantSummary;
            static create(properties: keyhole.v1.GrantChanged.$Shape): keyhole.v1.GrantChanged & keyhole.v1.GrantChanged.$Shape;
            static create(properties?: keyhole.v1.GrantChanged.$Properties): keyhole.v1.GrantChanged;
            static encode(message: keyhole.v1.GrantChanged.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.GrantChanged & keyhole.v1.GrantChanged.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.GrantChanged;
            static toObject(message: keyhole.v1.GrantChanged, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace GrantChanged {
            interface $Properties {
                grant?: keyhole.v1.GrantSummary.$Properties;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.GrantChanged.$Properties;
        }

        interface ILogLineArrived extends keyhole.v1.LogLineArrived.$Properties {
        }

        class LogLineArrived {
            constructor(properties?: keyhole.v1.LogLineArrived.$Properties);
            $unknowns?: Uint8Array[];
            logLine: keyhole.v1.LogLine;
            static create(properties: keyhole.v1.LogLineArrived.$Shape): keyhole.v1.LogLineArrived & keyhole.v1.LogLineArrived.$Shape;
            static create(properties?: keyhole.v1.LogLineArrived.$Properties): keyhole.v1.LogLineArrived;
            static encode(message: keyhole.v1.LogLineArrived.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.LogLineArrived & keyhole.v1.LogLineArrived.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.LogLineArrived;
            static toObject(message: keyhole.v1.LogLineArrived, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace LogLineArrived {
            interface $Properties {
                logLine?: keyhole.v1.LogLine.$Properties;
                $unknowns?: Uint8Array[];
            }
            type $Shape = keyhole.v1.LogLineArrived.$Properties;
        }

        interface IClientEvent extends keyhole.v1.ClientEvent.$Properties {
        }

        class ClientEvent {
            constructor(properties?: keyhole.v1.ClientEvent.$Properties);
            $unknowns?: Uint8Array[];
            welcome: (keyhole.v1.Welcome|null);
            snapshotArrived: (keyhole.v1.SnapshotArrived|null);
            probeStatusChanged: (keyhole.v1.ProbeStatusChanged|null);
            grantChanged: (keyhole.v1.GrantChanged|null);
            logLineArrived: (keyhole.v1.LogLineArrived|null);
            error: (keyhole.v1.ErrorFrame|null);
            body?: ("welcome"|"snapshotArrived"|"probeStatusChanged"|"grantChanged"|"logLineArrived"|"error");
            static create(properties: keyhole.v1.ClientEvent.$Shape): keyhole.v1.ClientEvent & keyhole.v1.ClientEvent.$Shape;
            static create(properties?: keyhole.v1.ClientEvent.$Properties): keyhole.v1.ClientEvent;
            static encode(message: keyhole.v1.ClientEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.ClientEvent & keyhole.v1.ClientEvent.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.ClientEvent;
            static toObject(message: keyhole.v1.ClientEvent, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace ClientEvent {
            interface $Properties {
                welcome?: (keyhole.v1.Welcome.$Properties|null);
                snapshotArrived?: (keyhole.v1.SnapshotArrived.$Properties|null);
                probeStatusChanged?: (keyhole.v1.ProbeStatusChanged.$Properties|null);
                grantChanged?: (keyhole.v1.GrantChanged.$Properties|null);
                logLineArrived?: (keyhole.v1.LogLineArrived.$Properties|null);
                error?: (keyhole.v1.ErrorFrame.$Properties|null);
                body?: ("welcome"|"snapshotArrived"|"probeStatusChanged"|"grantChanged"|"logLineArrived"|"error");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              welcome?: keyhole.v1.Welcome.$Shape|null;
              snapshotArrived?: keyhole.v1.SnapshotArrived.$Shape|null;
              probeStatusChanged?: keyhole.v1.ProbeStatusChanged.$Shape|null;
              grantChanged?: keyhole.v1.GrantChanged.$Shape|null;
              logLineArrived?: keyhole.v1.LogLineArrived.$Shape|null;
              error?: keyhole.v1.ErrorFrame.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ body?: undefined; welcome?: null; snapshotArrived?: null; probeStatusChanged?: null; grantChanged?: null; logLineArrived?: null; error?: null }|{ body?: "welcome"; welcome: keyhole.v1.Welcome.$Shape; snapshotArrived?: null; probeStatusChanged?: null; grantChanged?: null; logLineArrived?: null; error?: null }|{ body?: "snapshotArrived"; welcome?: null; snapshotArrived: keyhole.v1.SnapshotArrived.$Shape; probeStatusChanged?: null; grantChanged?: null; logLineArrived?: null; error?: null }|{ body?: "probeStatusChanged"; welcome?: null; snapshotArrived?: null; probeStatusChanged: keyhole.v1.ProbeStatusChanged.$Shape; grantChanged?: null; logLineArrived?: null; error?: null }|{ body?: "grantChanged"; welcome?: null; snapshotArrived?: null; probeStatusChanged?: null; grantChanged: keyhole.v1.GrantChanged.$Shape; logLineArrived?: null; error?: null }|{ body?: "logLineArrived"; welcome?: null; snapshotArrived?: null; probeStatusChanged?: null; grantChanged?: null; logLineArrived: keyhole.v1.LogLineArrived.$Shape; error?: null }|{ body?: "error"; welcome?: null; snapshotArrived?: null; probeStatusChanged?: null; grantChanged?: null; logLineArrived?: null; error: keyhole.v1.ErrorFrame.$Shape })
            );
        }

        interface IClientMessage extends keyhole.v1.ClientMessage.$Properties {
        }

        class ClientMessage {
            constructor(properties?: keyhole.v1.ClientMessage.$Properties);
            $unknowns?: Uint8Array[];
            hello: (keyhole.v1.ClientHello|null);
            heartbeat: (keyhole.v1.Heartbeat|null);
            body?: ("hello"|"heartbeat");
            static create(properties: keyhole.v1.ClientMessage.$Shape): keyhole.v1.ClientMessage & keyhole.v1.ClientMessage.$Shape;
            static create(properties?: keyhole.v1.ClientMessage.$Properties): keyhole.v1.ClientMessage;
            static encode(message: keyhole.v1.ClientMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): keyhole.v1.ClientMessage & keyhole.v1.ClientMessage.$Shape;
            static verify(message: { [k: string]: any }): (string|null);
            static fromObject(object: { [k: string]: any }): keyhole.v1.ClientMessage;
            static toObject(message: keyhole.v1.ClientMessage, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace ClientMessage {
            interface $Properties {
                hello?: (keyhole.v1.ClientHello.$Properties|null);
                heartbeat?: (keyhole.v1.Heartbeat.$Properties|null);
                body?: ("hello"|"heartbeat");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              hello?: keyhole.v1.ClientHello.$Shape|null;
              heartbeat?: keyhole.v1.Heartbeat.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ body?: undefined; hello?: null; heartbeat?: null }|{ body?: "hello"; hello: keyhole.v1.ClientHello.$Shape; heartbeat?: null }|{ body?: "heartbeat"; hello?: null; heartbeat: keyhole.v1.Heartbeat.$Shape })
            );
        }
    }
}
