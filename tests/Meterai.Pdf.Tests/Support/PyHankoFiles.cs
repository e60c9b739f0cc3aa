using System.Security.Cryptography.X509Certificates;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Support;

/// <summary>How pyHanko signs: an approval signature, or a certification with DocMDP P=1, 2 or 3.</summary>
public enum PyHankoKind { Approval, Certify1, Certify2, Certify3 }

/// <summary>
/// Signed and certified files made by pyHanko as a library (the shared copy under ../shared/tools/pyhanko, on Debian's
/// python3, as pades-check runs it), with the test issuer's key: approval signatures, certifications at DocMDP P=1, 2
/// and 3, an empty signature field signed over by the certification, a form with /NeedAppearances true.
/// </summary>
internal static class PyHankoFiles
{
    private const string P12Password = "pyhanko-test";

    /// <param name="field">The new (visible) signature field pyHanko signs.</param>
    /// <param name="emptyField">An empty signature field (140 × 140 pt at 330,60 on page 1: legible at every stamp size the engine accepts) added in the same revision.</param>
    /// <param name="needAppearances">Set the form's /NeedAppearances true in the same revision.</param>
    /// <param name="ignoreCertification">Sign even where pyHanko's signer would refuse (after a P=1 certification).</param>
    public static byte[] Sign(byte[] input, PyHankoKind kind, string field, string? emptyField = null, bool needAppearances = false, bool ignoreCertification = false)
    {
        var library = PadesCheck.Library();
        var dir = Directory.CreateTempSubdirectory("meterai-pyhanko-files-").FullName;
        try
        {
            var src = Path.Combine(dir, "in.pdf");
            var dst = Path.Combine(dir, "out.pdf");
            var script = Path.Combine(dir, "sign.py");
            File.WriteAllBytes(src, input);
            File.WriteAllText(script, Script);
            var p12 = Path.Combine(dir, "signer.p12");
            var signer = TestSigner.Issuer.Signer;
            var bundle = new X509Certificate2Collection(signer.Certificate);
            foreach (var c in signer.Chain) bundle.Add(c);
            File.WriteAllBytes(p12, bundle.Export(X509ContentType.Pkcs12, P12Password)!);
            var run = ExternalTool.Run("/usr/bin/python3",
                [script, library, p12, P12Password, src, dst, kind.ToString().ToLowerInvariant(), field, emptyField ?? "-", needAppearances ? "1" : "0", ignoreCertification ? "1" : "0"],
                TimeSpan.FromMinutes(2));
            Assert.True(run.ExitCode == 0, $"pyHanko could not sign: {run.All}");
            return File.ReadAllBytes(dst);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private const string Script = """
        import sys
        sys.path.insert(0, sys.argv[1])
        from pyhanko.sign import signers, fields
        from pyhanko.pdf_utils import generic
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        p12, password, src, dst, kind, field, empty, need, force = sys.argv[2:11]
        signer = signers.SimpleSigner.load_pkcs12(p12, passphrase=password.encode())
        levels = {"certify1": fields.MDPPerm.NO_CHANGES, "certify2": fields.MDPPerm.FILL_FORMS, "certify3": fields.MDPPerm.ANNOTATE}
        if force == "1":
            signers.PdfSigner._enforce_certification_constraints = lambda self, reader: None
        with open(src, "rb") as f:
            w = IncrementalPdfFileWriter(f, strict=False)
            if need == "1":
                w.root["/AcroForm"]["/NeedAppearances"] = generic.BooleanObject(True)
                w.update_root()
            if empty != "-":
                fields.append_signature_field(w, fields.SigFieldSpec(empty, on_page=0, box=(330, 60, 470, 200)))
            meta = signers.PdfSignatureMetadata(
                field_name=field, subfilter=fields.SigSeedSubFilter.PADES,
                certify=kind in levels, docmdp_permissions=levels.get(kind, fields.MDPPerm.FILL_FORMS))
            spec = fields.SigFieldSpec(field, on_page=0, box=(60, 640, 200, 700))
            out = signers.sign_pdf(w, meta, signer=signer, new_field_spec=spec)
            open(dst, "wb").write(out.getvalue())
        """;
}
