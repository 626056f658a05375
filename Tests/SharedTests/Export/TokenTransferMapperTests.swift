// ethereum-etl's token transfer rule: Transfer topic, topics plus data words exactly four.

import Testing
@testable import Shared

@Suite("token transfer extraction")
struct TokenTransferMapperTests {
    static let transfer = TokenTransferMapper.transferTopic
    static func word(_ hex: String) -> String { "0x" + String(repeating: "0", count: 64 - hex.count) + hex }

    static func log(topics: [String], data: String, address: String = "0x25c6413359059694A7FCa8e599Ae39Ce1C944Da2") -> RPCLog {
        RPCLog(logIndex: "0x0", transactionHash: "0xd62a74c7b04e8e0539398f6ba6a5eb11ad8aa862e77f0af718f0fad19b0b0480",
               transactionIndex: "0x0", blockHash: "0x01", blockNumber: "0x10343a", address: address, data: data, topics: topics)
    }

    @Test("ERC-20: three topics and one data word; uint256 value, lower-cased token address (ethereum-etl's own case)")
    func erc20() throws {
        let log = Self.log(topics: [Self.transfer, Self.word("e9eeaec75883f0e389a78e2260bfac1776df2f1d"), Self.word("0")],
                           data: "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc18")
        let row = try #require(try TokenTransferMapper().row(log, block: nil))
        #expect(row["token_address"] == .text("0x25c6413359059694a7fca8e599ae39ce1c944da2"))
        #expect(row["from_address"] == .text("0xe9eeaec75883f0e389a78e2260bfac1776df2f1d"))
        #expect(row["to_address"] == .text("0x0000000000000000000000000000000000000000"))
        #expect(row["value"] == .number("115792089237316195423570985008687907853269984665640564039457584007913129638936"))
        #expect(row["log_index"] == .number("0"))
        #expect(row["block_number"] == .number("1061946"))
    }

    @Test("ERC-721: four topics and no data; the token id comes from topic 3")
    func erc721() throws {
        let log = Self.log(topics: [Self.transfer, Self.word("a"), Self.word("B"), Self.word("2a")], data: "0x")
        let row = try #require(try TokenTransferMapper().row(log, block: nil))
        #expect(row["value"] == .number("42"))
        #expect(row["to_address"] == .text("0x000000000000000000000000000000000000000b"))
    }

    @Test("the Transfer topic matches in any case")
    func topicCase() throws {
        let log = Self.log(topics: [Self.transfer.uppercased().replacingOccurrences(of: "0X", with: "0x"), Self.word("a"), Self.word("b")], data: Self.word("1"))
        #expect(try TokenTransferMapper().row(log, block: nil) != nil)
    }

    @Test("other layouts are skipped: no topics, other events, or not exactly four words")
    func skipped() throws {
        let mapper = TokenTransferMapper()
        #expect(try mapper.row(Self.log(topics: [], data: "0x"), block: nil) == nil)
        #expect(try mapper.row(Self.log(topics: [Self.word("1234"), Self.word("a"), Self.word("b")], data: Self.word("1")), block: nil) == nil)
        #expect(try mapper.row(Self.log(topics: [Self.transfer, Self.word("a"), Self.word("b")], data: "0x"), block: nil) == nil)
        #expect(try mapper.row(Self.log(topics: [Self.transfer, Self.word("a"), Self.word("b")], data: Self.word("1") + String(repeating: "0", count: 64)), block: nil) == nil)
    }

    @Test("unindexed from/to: two topics and three data words still count, as ethereum-etl splits data into words")
    func unindexed() throws {
        let data = "0x" + String(Self.word("a").dropFirst(2)) + String(Self.word("b").dropFirst(2)) + "ff"
        let row = try #require(try TokenTransferMapper().row(Self.log(topics: [Self.transfer], data: data), block: nil))
        #expect(row["from_address"] == .text("0x000000000000000000000000000000000000000a"))
        #expect(row["value"] == .number("255"), "a short last word is still a word")
    }

    @Test("a short word becomes the address as is, lower-cased (word_to_address)")
    func shortWord() {
        #expect(TokenTransferMapper.address(inWord: "0xABcd") == "0xabcd")
        #expect(TokenTransferMapper.words(of: "0x") == [])
        #expect(TokenTransferMapper.words(of: "0x" + String(repeating: "1", count: 70)).map(\.count) == [66, 8])
    }
}
