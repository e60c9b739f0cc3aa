namespace Meterai.Core.Stamping;

/// <summary>A kind of document people put e-Meterai on, with its stable code and its names.</summary>
public sealed record DocumentType(string Code, string NameId, string NameEn);

/// <summary>
/// The documents that carry stamp duty in Indonesia (UU 10/2020 on Bea Meterai, art. 3: letters of agreement,
/// statements and powers, notarial and land deeds, securities, auction minutes, documents stating an amount of
/// money above Rp5.000.000, documents used as evidence in court) and the ones applicants stamp most in a civil-service
/// registration. Codes are stable: they are stored with every stamp and sent by clients.
/// </summary>
public static class DocumentTypes
{
    public static IReadOnlyList<DocumentType> All { get; } =
    [
        new("surat_pernyataan", "Surat Pernyataan", "Statement letter"),
        new("surat_perjanjian", "Surat Perjanjian", "Agreement"),
        new("surat_kuasa", "Surat Kuasa", "Power of attorney"),
        new("surat_keterangan", "Surat Keterangan", "Certificate letter"),
        new("surat_lamaran_cpns", "Surat Lamaran CPNS/PPPK", "Civil-service (CPNS/PPPK) application letter"),
        new("surat_pernyataan_cpns", "Surat Pernyataan Pelamar CPNS/PPPK", "Civil-service applicant's statement"),
        new("akta_notaris", "Akta Notaris", "Notarial deed"),
        new("akta_ppat", "Akta PPAT", "Land deed (PPAT)"),
        new("surat_berharga", "Surat Berharga", "Securities"),
        new("dokumen_transaksi_surat_berharga", "Dokumen Transaksi Surat Berharga", "Securities transaction document"),
        new("risalah_lelang", "Risalah Lelang", "Auction minutes"),
        new("dokumen_nominal_uang", "Dokumen yang Menyebutkan Jumlah Uang (> Rp5.000.000)", "Document stating an amount of money (above Rp5,000,000)"),
        new("dokumen_bukti_pengadilan", "Dokumen Alat Bukti di Pengadilan", "Document used as evidence in court"),
        new("kuitansi", "Kuitansi", "Receipt"),
        new("lainnya", "Dokumen Lainnya", "Other document"),
    ];

    private static readonly Dictionary<string, DocumentType> ByCode = All.ToDictionary(t => t.Code, StringComparer.Ordinal);

    public static DocumentType? Find(string? code) => code is not null && ByCode.TryGetValue(code, out var t) ? t : null;
}
