namespace Meterai.PaySim.Transactions;

/// <summary>CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection), the checksum EMVCo QR payloads end with.</summary>
public static class Crc16Ccitt
{
    public static ushort Compute(ReadOnlySpan<char> ascii)
    {
        ushort crc = 0xFFFF;
        foreach (var c in ascii)
        {
            crc ^= (ushort)((byte)c << 8);
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }

        return crc;
    }
}
