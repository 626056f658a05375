// Keccak-256 against published and eth-hash digests, across block boundaries.

import Testing
@testable import Shared

@Suite("Keccak-256")
struct Keccak256Tests {
    static func hex(_ text: String) -> String { ABIHex.text(Keccak256.hash(text)) }

    @Test("known digests: empty input, 'abc', ERC-20 Transfer, ERC-1155 TransferSingle/TransferBatch, ApprovalForAll")
    func knownVectors() {
        #expect(Self.hex("") == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(Self.hex("abc") == "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        #expect(Self.hex("Transfer(address,address,uint256)") == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
        #expect(Self.hex("TransferSingle(address,address,address,uint256,uint256)") == "0xc3d58168c5ae7397731d063d5bbf3d657854427343f4c083240f7aacaa2d0f62")
        #expect(Self.hex("TransferBatch(address,address,address,uint256[],uint256[])") == "0x4a39dc06d4c0dbc64b70af90fd698a233a518aa5d07e595d983b8c0526c8f7fb")
        #expect(Self.hex("ApprovalForAll(address,address,bool)") == "0x17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31")
    }

    @Test("inputs around the 136-byte rate and over several blocks")
    func blockBoundaries() {
        #expect(Self.hex(String(repeating: "a", count: 135)) == "0x34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446")
        #expect(Self.hex(String(repeating: "a", count: 136)) == "0xa6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e")
        #expect(Self.hex(String(repeating: "a", count: 137)) == "0xd869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39")
        let bytes = (0..<512).map { UInt8($0 % 256) }
        #expect(ABIHex.text(Keccak256.hash(bytes)) == "0xf55ba327291604f0e5be6651752398b7be2331aad65f5763ce067df95cc13be1")
    }

    @Test("it is not SHA3-256: the empty input differs from FIPS-202's digest")
    func notSHA3() {
        #expect(Self.hex("") != "0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")
        #expect(Keccak256.hash("").count == 32)
    }
}
