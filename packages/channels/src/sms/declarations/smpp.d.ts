/**
 * Types for the parts of the `smpp` npm package (0.5, CommonJS, no bundled
 * types) that Wasl uses: client and server sessions and PDUs. Kept in a folder
 * of its own because TypeScript ignores a .d.ts beside a .ts of the same name.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  /** short_message / message_payload as decoded by the package. */
  export interface DecodedMessage {
    udh?: Buffer[];
    message: string | Buffer;
  }

  /** A request or response; parameters and TLVs are properties named as in the SMPP specification. */
  export interface PDU {
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    message_id?: string;
    system_id?: string;
    password?: string;
    system_type?: string;
    source_addr_ton?: number;
    source_addr_npi?: number;
    source_addr?: string;
    dest_addr_ton?: number;
    dest_addr_npi?: number;
    destination_addr?: string;
    esm_class?: number;
    registered_delivery?: number;
    data_coding?: number;
    short_message?: DecodedMessage | Buffer;
    message_payload?: DecodedMessage | Buffer;
    receipted_message_id?: string;
    message_state?: number;
    network_error_code?: Buffer;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
    toBuffer(): Buffer;
  }

  export interface Session extends EventEmitter {
    socket: Socket;
    /** Returns false when the socket is no longer writable. */
    send(pdu: PDU, onResponse?: (response: PDU) => void, onSent?: (pdu: PDU) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
  }

  export interface Server extends NetServer {
    sessions: Session[];
  }

  export interface ConnectOptions {
    host: string;
    port: number;
    tls?: boolean;
  }

  interface Smpp {
    PDU: new (command: string, options?: Record<string, unknown>) => PDU;
    connect(options: ConnectOptions, listener?: () => void): Session;
    createServer(listener: (session: Session) => void): Server;
    /** Command status names → values (ESME_ROK, ESME_RTHROTTLED, …). */
    errors: Record<string, number>;
  }

  const smpp: Smpp;
  export default smpp;
}
