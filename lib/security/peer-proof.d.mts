export declare const PEER_ADDRESS_HEADER: "x-latchkey-peer";
export declare const PEER_PROOF_HEADER: "x-latchkey-peer-proof";
export declare function installPeerSecret(): string;
export declare function isPeerProof(candidate: string | null | undefined): boolean;
