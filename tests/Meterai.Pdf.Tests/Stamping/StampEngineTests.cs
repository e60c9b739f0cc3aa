using System.Security.Cryptography;
using System.Text;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;
using Meterai.Pdf.Signing;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;
using Meterai.Pdf.Tests.Fixtures;
using Meterai.Pdf.Tests.Support;
using Meterai.Pdf.Verification;
using static Meterai.Pdf.Tests.Stamping.StampTestKit;

namespace Meterai.Pdf.Tests.Stamping;

public class StampEngineTests
{
    [Fact]
    public void Stamps_a_classic_file_as_one_incremental_update_with_a_valid_pades_signature()
    {
        var input = Fixtures.Fixtures.Plain;
        var request = Request(input);
        var (output, outcome) = Stamp(input, request);
        AssertSound(input, output, "plain-stamped.pdf");

        Assert.Equal(request.Serial, outcome.Serial);
        Assert.Equal("e-Meterai " + request.Serial, outcome.FieldName);
        Assert.Equal(output.Length, outcome.OutputLength);
        Assert.Equal(SHA256.HashData(output), outcome.Sha256);
        Assert.Equal(2, outcome.PageCount);
        Assert.False(outcome.Repaired);
        Assert.Equal([0L, outcome.ByteRange[1], outcome.ByteRange[2], output.Length - outcome.ByteRange[2]], outcome.ByteRange);

        var sig = Verify(output).Signatures.Single();
        Assert.Equal(request.Serial.Value, sig.Serial);
        Assert.StartsWith(request.Serial.Value + " ", sig.Reason);
        Assert.Equal("ETSI.CAdES.detached", sig.SubFilter);
        Assert.Equal(request.SigningTime, sig.SigningTime);
    }

    [Fact]
    public void The_new_trailer_keeps_every_key_and_id0_renews_id1_and_chains_to_the_previous_section()
    {
        var input = Fixtures.Fixtures.Plain;
        var (output, _) = Stamp(input);
        var before = PdfDocument.Open(new MemoryByteSource(input), PdfLimits.Default, null);
        var after = PdfDocument.Open(new MemoryByteSource(output), PdfLimits.Default, null);
        Assert.Equal(XrefSectionKind.Table, after.Sections[0].Kind);
        Assert.Equal(before.StartXref, ((PdfInteger)after.Sections[0].Trailer["Prev"]!).Value);
        var oldIds = (PdfArray)before.Trailer["ID"]!;
        var newIds = (PdfArray)after.Trailer["ID"]!;
        Assert.Equal(((PdfString)oldIds[0]).Bytes, ((PdfString)newIds[0]).Bytes);
        Assert.NotEqual(((PdfString)oldIds[1]).Bytes, ((PdfString)newIds[1]).Bytes);
        Assert.Equal(((PdfReference)before.Trailer["Root"]!).Id, ((PdfReference)after.Trailer["Root"]!).Id);
        // The header's version is not raised: the increment writes no /Version.
        var catalog = after.ResolveDictionary(after.Trailer["Root"])!;
        Assert.Null(catalog["Version"]);
    }

    [Fact]
    public void A_file_with_cross_reference_streams_gets_a_stream_section_and_compressed_objects_are_rewritten_in_the_clear()
    {
        var input = Fixtures.Fixtures.ObjectStreams;
        var (output, _) = Stamp(input);
        AssertSound(input, output, "objstm-stamped.pdf");
        var after = PdfDocument.Open(new MemoryByteSource(output), PdfLimits.Default, null);
        Assert.Equal(XrefSectionKind.Stream, after.Sections[0].Kind);
        foreach (var key in new[] { "W", "Index", "Length", "Filter", "DecodeParms", "XRefStm" })
        {
            Assert.True(after.Sections[0].Trailer[key] is null || key is "W" or "Index" or "Length", key);
        }
    }

    [Fact]
    public void A_linearized_file_is_stamped_after_its_end()
    {
        var input = Fixtures.Fixtures.Linearized;
        var (output, _) = Stamp(input);
        AssertSound(input, output, "linearized-stamped.pdf");
    }

    [Theory]
    [InlineData("40")]
    [InlineData("128", "--use-aes=n")]
    [InlineData("128", "--use-aes=y")]
    [InlineData("256", "--force-R5")]
    [InlineData("256")]
    public void Encrypted_files_are_stamped_with_their_own_key_and_strings_encrypted(string bits, params string[] options)
    {
        var input = Fixtures.Fixtures.Encrypted("", "owner", bits, options);
        var request = Request(input);
        var (output, _) = Stamp(input, request);
        AssertSound(input, output, $"enc-{bits}-{string.Join("", options)}-stamped.pdf");
        var increment = Encoding.Latin1.GetString(output, input.Length, output.Length - input.Length);
        Assert.DoesNotContain(request.Serial.Value, increment); // /Reason, /T, … are encrypted
        Assert.Equal(1, increment.Split("/Encrypt").Length - 1); // the trailer carries the same /Encrypt, no new one
    }

    [Fact]
    public void A_user_password_is_needed_and_either_password_opens_the_file()
    {
        var input = Fixtures.Fixtures.Encrypted("rahasia", "pemilik", "256");
        Assert.Equal(PdfErrorCodes.PasswordRequired, Refusal(input, Request(Fixtures.Fixtures.Plain)));
        Assert.Equal(PdfErrorCodes.WrongPassword, Refusal(input, Request(Fixtures.Fixtures.Plain) with { Password = "salah" }));
        var (byUser, _) = Stamp(input, Request(input, password: "rahasia"));
        AssertSound(input, byUser, "userpw-stamped.pdf", "rahasia");
        var (byOwner, _) = Stamp(input, Request(input, password: "pemilik"));
        AssertSound(input, byOwner, "ownerpw-stamped.pdf", "pemilik");
    }

    [Fact]
    public void Owner_permissions_that_forbid_annotations_refuse_the_stamp_unless_the_owner_password_is_given()
    {
        var input = Fixtures.Fixtures.Encrypted("", "pemilik", "128", "--use-aes=y", "--modify=none");
        Assert.Equal(PdfErrorCodes.PermissionDenied, Refusal(input, Request(input)));
        var (output, _) = Stamp(input, Request(input, password: "pemilik"));
        AssertSound(input, output, "nomodify-owner-stamped.pdf", "pemilik");
    }

    [Fact]
    public void Forms_and_annotations_allowed_is_enough()
    {
        var input = Fixtures.Fixtures.Encrypted("", "pemilik", "256", "--modify=annotate");
        var (output, _) = Stamp(input);
        AssertSound(input, output, "annotate-only-stamped.pdf");
    }

    [Fact]
    public void An_existing_form_keeps_its_fields_and_gains_the_signature_field()
    {
        var input = Fixtures.Fixtures.WithForm;
        var (output, outcome) = Stamp(input);
        AssertSound(input, output, "form-stamped.pdf");
        var doc = PdfDocument.Open(new MemoryByteSource(output), PdfLimits.Default, null);
        var catalog = doc.ResolveDictionary(doc.Trailer["Root"])!;
        var form = doc.ResolveDictionary(catalog["AcroForm"])!;
        var fields = (PdfArray)doc.Resolve(form["Fields"]);
        Assert.Equal(2, fields.Count);
        Assert.Equal(3, ((PdfInteger)form["SigFlags"]!).Value);
        Assert.Equal("/Helv 0 Tf 0 g", Encoding.ASCII.GetString(((PdfString)form["DA"]!).Bytes));
        var page = PageTree.Locate(doc, catalog, 1);
        Assert.Equal(2, ((PdfArray)doc.Resolve(page.Dictionary["Annots"])).Count);
        var widget = doc.ResolveDictionary(fields[1])!;
        Assert.Equal(outcome.FieldName, ((PdfString)widget["T"]!).ToText());
        Assert.Equal(4, ((PdfInteger)widget["F"]!).Value); // Print, never NoView
    }

    [Fact]
    public void Pages_and_rectangles_outside_the_document_are_refused_with_their_codes()
    {
        var input = Fixtures.Fixtures.Cropped; // crop box [100 150 500 700] on a letter page
        Assert.Equal(PdfErrorCodes.PageOutOfRange, Refusal(input, Request(input) with { Page = 3 }));
        Assert.Equal(PdfErrorCodes.InvalidRequest, Refusal(input, Request(input) with { Page = 0 }));
        Assert.Equal(PdfErrorCodes.RectOffPage, Refusal(input, Request(input, rect: new PdfRect(20, 20, 160, 110))));   // on the media box, outside the crop box
        Assert.Equal(PdfErrorCodes.RectOffPage, Refusal(input, Request(input, rect: new PdfRect(450, 600, 590, 690)))); // sticks out on the right
        Assert.Equal(PdfErrorCodes.InvalidRequest, Refusal(input, Request(input, rect: new PdfRect(200, 200, 200, 300))));
        Assert.Equal(PdfErrorCodes.InvalidRequest, Refusal(input, Request(input, rect: new PdfRect(double.NaN, 200, 300, 300))));
    }

    [Fact]
    public void Bytes_that_are_not_a_pdf_and_files_cut_short_are_refused()
    {
        Assert.Equal(PdfErrorCodes.NotAPdf, Refusal("GIF89a not a pdf at all"u8.ToArray(), Request(Fixtures.Fixtures.Plain)));
        Assert.Equal(PdfErrorCodes.NotAPdf, Refusal([], Request(Fixtures.Fixtures.Plain)));
        var cut = Fixtures.Fixtures.Plain[..60];
        Assert.Equal(PdfErrorCodes.Truncated, Refusal(cut, Request(Fixtures.Fixtures.Plain)));
    }

    [Fact]
    public void A_file_above_the_size_limit_is_refused()
    {
        var engine = new StampEngine(new StampEngineOptions { Limits = PdfLimits.Default with { MaxInputBytes = 100 } });
        var input = Fixtures.Fixtures.Plain;
        var result = engine.Stamp(new MemoryStream(input), new MemoryStream(), Request(input), TestSigner.Signer);
        Assert.Equal(PdfErrorCodes.TooLarge, result.Error?.Code);
    }

    [Fact]
    public void A_damaged_unsigned_file_is_repaired_by_the_increment_itself()
    {
        var plain = Fixtures.Fixtures.Plain;
        var damaged = plain[..15].Concat("% forty bytes of inserted junk here ...\n"u8.ToArray()).Concat(plain[15..]).ToArray();
        var (output, outcome) = Stamp(damaged, Request(damaged));
        Assert.True(outcome.Repaired);
        AssertSound(damaged, output, "repaired-stamped.pdf");
        var after = PdfDocument.Open(new MemoryByteSource(output), PdfLimits.Default, null);
        Assert.False(after.IsRecovered);
        Assert.Null(after.Sections[0].Trailer["Prev"]); // no way back into the broken data
    }

    [Fact]
    public void A_damaged_encrypted_file_is_repaired_with_its_encryption_dictionary_left_in_the_clear()
    {
        var input = Fixtures.Fixtures.Encrypted("", "owner", "256");
        var text = Encoding.Latin1.GetString(input);
        var number = System.Text.RegularExpressions.Regex.Match(text, @"/Encrypt (\d+) 0 R").Groups[1].Value;
        var at = text.IndexOf($"\n{number} 0 obj", StringComparison.Ordinal);
        var end = text.IndexOf("endobj", at, StringComparison.Ordinal);
        // The /Encrypt object loses its "endobj" (same length, offsets unchanged): damage, so repair rewrites it.
        var damaged = Encoding.Latin1.GetBytes(text[..end] + "      " + text[(end + 6)..]);
        var (output, outcome) = Stamp(damaged, Request(damaged));
        Assert.True(outcome.Repaired);
        AssertSound(damaged, output, "damaged-encrypted-stamped.pdf");
    }

    [Fact]
    public void A_damaged_file_that_carries_a_signature_is_refused()
    {
        var (signed, _) = Stamp(Fixtures.Fixtures.Plain);
        var damaged = signed[..15].Concat("% junk\n"u8.ToArray()).Concat(signed[15..]).ToArray();
        Assert.Equal(PdfErrorCodes.DamagedSignedFile, Refusal(damaged, Request(Fixtures.Fixtures.Plain)));
    }

    [Fact]
    public void A_document_already_signed_keeps_its_signature_valid_and_gets_a_second_one()
    {
        var input = Fixtures.Fixtures.Plain;
        var (once, _) = Stamp(input);
        var (twice, _) = Stamp(once, Request(once, page: 2));
        AssertSound(once, twice, "twice-stamped.pdf");
        var sigs = PdfTools.Pdfsig(Fixtures.Fixtures.Save("twice.pdf", twice));
        Assert.Equal(2, sigs.Count);
        Assert.All(sigs, s => Assert.True(s.IsValid, s.Validation));
        var report = Verify(twice);
        Assert.Equal(ModificationLevel.Harmless, report.Signatures[0].ChangesAfter);
        Assert.Equal(ModificationLevel.None, report.Signatures[1].ChangesAfter);
        Assert.False(report.ChangedAfterEMeterai);
    }

    [Fact]
    public void Certification_is_written_only_when_there_is_no_earlier_signature()
    {
        var engine = new StampEngine(new StampEngineOptions { Certify = true });
        var input = Fixtures.Fixtures.Plain;
        var (certified, first) = Stamp(input, Request(input), engine);
        Assert.True(first.Certified);
        AssertSound(input, certified, "certified.pdf");
        Assert.Equal(2, Verify(certified).Signatures.Single().CertificationLevel);

        // P=2 allows another signature, but a new visible field after it fails pyHanko's rules: with no empty
        // signature field to sign, a second stamp is refused.
        Assert.Equal(PdfErrorCodes.CertifiedNoEmptyField, Refusal(certified, Request(certified)));

        // After an approval signature the certifying engine does not certify.
        var (approved, _) = Stamp(input, Request(input));
        var (again, second) = Stamp(approved, Request(approved), engine);
        Assert.False(second.Certified);
        AssertSound(approved, again, "stamped-twice-not-certified.pdf");
        var report = Verify(again);
        Assert.Equal(ModificationLevel.Harmless, report.Signatures[0].ChangesAfter);
        Assert.Null(report.Signatures[1].CertificationLevel);
    }

    [Fact]
    public void A_document_certified_with_no_changes_allowed_is_refused()
    {
        var input = new FixturePdf { CatalogExtra = "/Perms << /DocMDP 20 0 R >>", ExtraObjects = [(20, "<< /Type /Sig /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /P 1 /V /1.2 >> >>] >>")] }.Build();
        Assert.Equal(PdfErrorCodes.CertifiedNoChanges, Refusal(input, Request(input)));
    }

    [Fact]
    public void A_signature_field_locking_everything_refuses_the_stamp()
    {
        var input = new FixturePdf
        {
            CatalogExtra = "/AcroForm << /Fields [21 0 R] /SigFlags 3 >>",
            ExtraObjects =
            [
                (20, "<< /Type /Sig /ByteRange [0 0 0 0] /Contents <00> >>"),
                (21, "<< /FT /Sig /T (Signer) /V 20 0 R /Lock << /Type /SigFieldLock /Action /All /P 1 >> /Rect [0 0 0 0] /Subtype /Widget >>"),
            ],
        }.Build();
        Assert.Equal(PdfErrorCodes.FieldLocked, Refusal(input, Request(input)));
    }

    [Fact]
    public void Two_step_signing_sends_only_a_digest_and_completes_the_kept_increment()
    {
        var input = Fixtures.Fixtures.Plain;
        var signer = TestSigner.Signer;
        var output = new MemoryStream();
        var prepared = Engine.Prepare(new MemoryStream(input), output, Request(input), signer.Certificate, signer.Chain);
        Assert.True(prepared.IsOk, prepared.Error?.ToString());
        using var stamp = prepared.Value;
        Assert.Equal(32, stamp.DigestToSign.Length);
        Assert.Equal(input.Length, output.Length); // the original is already out, hashed on the way
        var signature = signer.SignDigest(stamp.DigestToSign.Span); // e.g. in an HSM
        var done = Engine.Complete(stamp, signature, output);
        Assert.True(done.IsOk, done.Error?.ToString());
        Assert.Equal(stamp.OutputLength, output.Length);
        AssertSound(input, output.ToArray(), "two-step.pdf");
        Assert.Throws<InvalidOperationException>(() => Engine.Complete(stamp, signature, new MemoryStream()));
    }

    [Fact]
    public void A_signature_value_that_does_not_match_the_key_is_refused_by_complete()
    {
        var input = Fixtures.Fixtures.Plain;
        var output = new MemoryStream();
        using var stamp = Engine.Prepare(new MemoryStream(input), output, Request(input), TestSigner.Signer.Certificate, TestSigner.Signer.Chain).Value;
        var result = Engine.Complete(stamp, new byte[256], output);
        Assert.Equal(SigningErrors.SignatureInvalidCode, result.Error?.Code);
    }

    [Fact]
    public void With_a_timestamp_authority_the_signature_is_pades_b_t()
    {
        var engine = new StampEngine(new StampEngineOptions { TimestampClient = new InProcessTimestampClient(TestSigner.Issuer.CreateTimestampAuthority()) });
        var input = Fixtures.Fixtures.Plain;
        var (output, outcome) = Stamp(input, Request(input), engine);
        Assert.True(outcome.Timestamped);
        AssertSound(input, output, "timestamped.pdf");
        Assert.NotNull(Verify(output).Signatures.Single().TimestampTime);
    }

    [Fact]
    public void A_file_read_from_disk_is_streamed_and_stamped_the_same_way()
    {
        var input = Fixtures.Fixtures.ObjectStreams;
        var path = Fixtures.Fixtures.Save("from-disk.pdf", input);
        using var file = File.OpenRead(path);
        var output = new MemoryStream();
        var result = Engine.Stamp(file, output, Request(input), TestSigner.Signer);
        Assert.True(result.IsOk, result.Error?.ToString());
        AssertSound(input, output.ToArray(), "from-disk-stamped.pdf");
    }

    [Fact]
    public void Changes_after_an_e_meterai_are_reported()
    {
        var input = Fixtures.Fixtures.Plain;
        var (stamped, _) = Stamp(input);
        var altered = AppendContentChange(stamped);
        var report = Verify(altered);
        var sig = report.Signatures.Single();
        Assert.True(sig.IntegrityValid); // its own bytes are intact …
        Assert.Equal(ModificationLevel.Changed, sig.ChangesAfter); // … but the document changed after it
        Assert.True(report.ChangedAfterEMeterai);
        Assert.Contains(sig.ChangeNotes, n => n.Contains("object 5"));
    }
}
