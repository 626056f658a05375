// SyntheticProtocols: the contracts behind the synthetic chain's contract events — ERC-1155
// collections, a Uniswap-V2-like factory and its pairs, Seaport, a Curve pool, a CCIP on-ramp.

/// Event signatures, topics and call selectors are the real ones (topic 0 = keccak of the
/// signature), and the factory, router, Seaport and Curve addresses are their mainnet ones, so
/// ethereum-etl-airflow's own definition files (which name those addresses) match devchain's logs.
/// devchain has no keccak (it links no crypto library), so the hashes are constants;
/// SyntheticContractEventsTests recomputes every one with eth_hash.
enum SyntheticProtocols {
    static func bytes(_ hex: String) -> [UInt8] { Hex.parseData(hex) ?? [] }

    // MARK: Addresses

    /// Uniswap V2's factory on mainnet (UniswapV2Factory_event_PairCreated's contract_address).
    static let factory = bytes("0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f")
    /// Uniswap V2's Router02 on mainnet: routed swaps call the pair from here.
    static let router = bytes("0x7a250d5630b4cf539739df2c5dacb4c659f2488d")
    /// Seaport 1.1 on mainnet (SeaportV11_event_OrderFulfilled's contract_address).
    static let seaport = bytes("0x00000000006c3852cbef3e08e8df289169ede581")
    /// Curve's 3pool on mainnet.
    static let curve3pool = bytes("0xbebc44782c7db0a1a60cb6fe97d0b483032ff1c7")
    /// ENS's PublicResolver 2 on mainnet.
    static let ensResolver = bytes("0x231b0ee14048e9dccd1d247744d114a4eb5e8e63")

    static func onRamp(seed: UInt64) -> [UInt8] { SyntheticIdentity.address(seed: seed, .protocolContract, 0) }
    static func erc1155Token(seed: UInt64, _ k: UInt64) -> [UInt8] { SyntheticIdentity.address(seed: seed, .erc1155Token, k % erc1155TokenCount) }
    /// ERC-1155 collections whose TransferSingle leaves `to` unindexed (3 topics): same topic 0,
    /// another indexed layout, which decoders must skip and count.
    static func misfitErc1155Token(seed: UInt64, _ k: UInt64) -> [UInt8] { SyntheticIdentity.address(seed: seed, .erc1155Token, erc1155TokenCount + k % 2) }
    static let erc1155TokenCount: UInt64 = 8

    // MARK: Topics

    static let transferSingleTopic = bytes("0xc3d58168c5ae7397731d063d5bbf3d657854427343f4c083240f7aacaa2d0f62")
    static let transferBatchTopic = bytes("0x4a39dc06d4c0dbc64b70af90fd698a233a518aa5d07e595d983b8c0526c8f7fb")
    static let pairCreatedTopic = bytes("0x0d3648bd0f6ba80134a33ba9275ac585d9d315f0ad8355cddefde31afa28d0e9")
    static let swapTopic = bytes("0xd78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822")
    static let mintTopic = bytes("0x4c209b5fc8ad50758f13e2e1088ba56a560dff690a1c6fef26394f4c03821c4f")
    static let burnTopic = bytes("0xdccd412f0b1252819cb1fd330b93224ca42612892bb3f4f789976e6d81936496")
    static let syncTopic = bytes("0x1c411e9a96e071241c2f21f7726b17ae89e3cab4c78be50e062b03a9fffbbad1")
    /// OrderFulfilled(bytes32,address,address,address,(uint8,address,uint256,uint256)[],(uint8,address,uint256,uint256,address)[])
    static let orderFulfilledTopic = bytes("0x9d9af8e38d66c62e2c12f0225249fd9d721c54b83f48d9352c97c6cacdcb6f31")
    /// CCIPSendRequested((uint64,address,address,uint64,uint256,bool,uint64,address,uint256,bytes,(address,uint256)[],bytes[],bytes32))
    static let ccipSendRequestedTopic = bytes("0xd0c3c799bf9e2639de44391e7f524d229b2b55f5b1ea94b2bf7da42f7243dddd")
    /// AddLiquidity(address,uint256[3],uint256[3],uint256,uint256) (Curve 3pool's).
    static let addLiquidityTopic = bytes("0x423f6495a08fc652425cf4ed0d1f9e37e571d9b9529b1c1c23cce780b2e7df0d")
    /// TextChanged(bytes32,string,string,string) (ENS PublicResolver's, `indexedKey` an indexed string).
    static let textChangedTopic = bytes("0x448bc014f1536726cf8d54ff3d6481ed3cbc683c2591ca204274009afa09b1a1")
    /// ENS text record keys and their keccak (an indexed string's topic), the empty key included.
    static let textKeys: [(key: String, hash: [UInt8])] = [
        ("url", bytes("0xb68b5f5089998f2978a1dcc681e8ef27962b90d5c26c4c0b9c1945814ffa5ef0")),
        ("avatar", bytes("0xd1f86c93d831119ad98fe983e643a7431e4ac992e3ead6e3007f4dd1adf66343")),
        ("email", bytes("0xa28419e839eda1f8810510d0b578872b1165326edcf6e8575613087bd6b77e35")),
        ("description", bytes("0x1596dc38e2ac5a6ddc5e019af4adcc1e017a04f510d57e69d6879d5d2996bb8e")),
        ("com.twitter", bytes("0x7b8e740dad11ad11abceebf798f458a149d945f7c4448784733725f3fa21225e")),
        ("", bytes("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")),
    ]

    // MARK: Selectors

    static let selector = (
        swap: bytes("0x022c0d9f"), mint: bytes("0x6a627842"), burn: bytes("0x89afcb44"),
        createPair: bytes("0xc9c65396"), swapExactTokensForTokens: bytes("0x38ed1739"),
        safeTransferFrom: bytes("0xf242432a"), safeBatchTransferFrom: bytes("0x2eb2c2d6"),
        approve: bytes("0x095ea7b3"), ccipSend: bytes("0x96f4e9f9"),
        fulfillBasicOrderEfficient: bytes("0x00000000"), addLiquidity: bytes("0x4515cef3"),
        onERC1155Received: bytes("0xf23a6e61"), onERC1155BatchReceived: bytes("0xbc197c81"),
        setText: bytes("0x10f13a8c")
    )

    /// Runtime code of a pair: a dispatcher over the pair's own functions only (no ERC-20
    /// selectors, so exporters do not take it for a token and call it for metadata).
    static let pairSelectors: [UInt32] = [0x022C_0D9F, 0x0902_F1AC, 0x0DFE_1681, 0x6A62_7842, 0x89AF_CB44, 0xBC25_CF77, 0xD212_20A7, 0xFFF6_CAE9]
    static let protocolSelectors: [UInt32] = [0x0000_0000, 0x022C_0D9F, 0x10F1_3A8C, 0x38ED_1739, 0x4515_CEF3, 0x96F4_E9F9, 0xC9C6_5396]
    static let erc1155Selectors: [UInt32] = [0x00FD_D58E, 0x2EB2_C2D6, 0x4E12_73F4, 0xA22C_B465, 0xE985_E9C5, 0xF242_432A]

    static func pairInitCode(_ pairCode: [UInt8]) -> [UInt8] {
        [0x60, 0x80, 0x60, 0x40, 0x52, 0x34, 0x80, 0x15, 0x60, 0x0F, 0x57, 0x60, 0x00, 0x80, 0xFD, 0x5B, 0x50] + pairCode
    }

    // MARK: Pairs

    /// Pair k is created by transaction 0 of block `pairCreationBlock(k)` = k(k+1)/2 + 1: blocks
    /// 1, 2, 4, 7, 11, 16, …; about √(2n) pairs exist by block n (141 by block 10,000), so pairs
    /// keep appearing late in any chain, and a pair's events only come in later blocks.
    static func pairCreationBlock(_ k: UInt64) -> UInt64 { k * (k + 1) / 2 + 1 }

    /// The k whose pair block n creates, if any.
    static func pairCreated(inBlock n: UInt64) -> UInt64? {
        guard n >= 1 else { return nil }
        let k = pairsCreated(before: n + 1) - 1
        return pairCreationBlock(k) == n ? k : nil
    }

    /// Pairs created in blocks < n.
    static func pairsCreated(before n: UInt64) -> UInt64 {
        guard n >= 2 else { return 0 }
        // The largest k with k(k+1)/2 + 1 < n, from the integer square root, then adjusted.
        var k = UInt64(((Double(8 * (n - 2) + 1)).squareRoot() - 1) / 2)
        while pairCreationBlock(k + 1) < n { k += 1 }
        while k > 0, pairCreationBlock(k) >= n { k -= 1 }
        return pairCreationBlock(k) < n ? k + 1 : 0
    }

    static func pair(seed: UInt64, _ k: UInt64) -> [UInt8] { SyntheticIdentity.address(seed: seed, .uniswapPair, k) }

    /// Pair k's tokens, sorted as the factory sorts them (token0 < token1): pair k takes
    /// combination (97k + seed) mod 496 of the 32 pool tokens, so the first 496 pairs are distinct.
    static func pairTokens(_ p: SyntheticChainParameters, _ k: UInt64) -> (token0: [UInt8], token1: [UInt8]) {
        let n = SyntheticChainParameters.erc20TokenCount
        var c = (97 &* k &+ p.seed) % (n * (n - 1) / 2)
        var a: UInt64 = 0
        while c >= n - 1 - a { c -= n - 1 - a; a += 1 }
        let b = a + 1 + c
        let x = p.erc20Token(a), y = p.erc20Token(b)
        return x.lexicographicallyPrecedes(y) ? (x, y) : (y, x)
    }
}
