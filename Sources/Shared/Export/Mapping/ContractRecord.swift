// One contract as ethereum-etl's EthContract holds it, classified from its bytecode.

import Foundation

/// A contract with its selectors and ERC20/ERC721 verdicts, decided by ethereum-etl's rules.
public struct ContractRecord: Sendable, Equatable {
    public var address: String?
    public var bytecode: String?
    public var functionSighashes: [String]
    public var isERC20: Bool
    public var isERC721: Bool
    public var blockNumber: UInt64?

    /// Classifies `bytecode` as `EthContractService` does.
    public init(address: String?, bytecode: String?, blockNumber: UInt64?) {
        self.address = address
        self.bytecode = bytecode
        self.blockNumber = blockNumber
        functionSighashes = EVMBytecode.functionSighashes(bytecode)
        let selectors = Set(functionSighashes)
        isERC20 = Self.erc20Selectors.allSatisfy(selectors.contains)
        isERC721 = Self.erc721Selectors.allSatisfy(selectors.contains)
            && (selectors.contains(Self.transfer) || selectors.contains(Self.transferFrom))
    }

    static let transfer = "0xa9059cbb"       // transfer(address,uint256)
    static let transferFrom = "0x23b872dd"   // transferFrom(address,address,uint256)
    /// totalSupply(), balanceOf(address), transfer, transferFrom, approve(address,uint256), allowance(address,address).
    static let erc20Selectors = ["0x18160ddd", "0x70a08231", transfer, transferFrom, "0x095ea7b3", "0xdd62ed3e"]
    /// balanceOf(address), ownerOf(uint256), approve(address,uint256); plus transfer or transferFrom.
    static let erc721Selectors = ["0x70a08231", "0x6352211e", "0x095ea7b3"]

    /// ethereum-etl's `ExtractContractsJob`: successful (`status` 1) create traces with an address;
    /// the bytecode is the trace's output. geth's `create2` frames count too: parity's trace_block
    /// reports the same creations as `create`, so both sources give the same contracts (without
    /// this, geth lost every CREATE2 contract: Uniswap pairs, Safe proxies).
    public static func fromTraces(_ traces: [TraceRecord]) -> [ContractRecord] {
        traces.compactMap { trace in
            guard trace.traceType == "create" || trace.traceType == "create2", let address = trace.toAddress, !address.isEmpty, trace.status == 1 else { return nil }
            return ContractRecord(address: address, bytecode: trace.output, blockNumber: trace.blockNumber)
        }
    }
}
