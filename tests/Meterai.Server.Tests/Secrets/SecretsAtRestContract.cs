using System.Net;
using System.Net.Http.Headers;
using Meterai.Core.Identity;
using Meterai.Core.Secrets;
using Meterai.Server.Tests.Support;
using Meterai.Storage.Secrets;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Secrets;

/// <summary>
/// Issue 10 item 5: whoever reads the database (a backup, a copied SQLite file, a read-only SQL account) gets the
/// token signing keys only sealed with a key-encryption key that is not in the database, and cannot sign tokens.
/// </summary>
public abstract class SecretsAtRestContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_reader_of_the_database_cannot_sign_an_issuer_admin_token()
    {
        await using var service = await TestService.StartAsync(backend);
        var genuine = await service.OperatorTokenAsync("issuer_admin");
        Assert.Equal(HttpStatusCode.OK, (await GetIssuerAsync(service, genuine)).StatusCode);

        // What the backup holds: every row of token_signing_keys, as stored.
        var rows = await service.Database.TokenSigningKeys.ListAsync(Ct);
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var forged = ForgedTokens.Sign(genuine, row.KeyId, row.Secret);
            using var answer = await GetIssuerAsync(service, forged);
            Assert.True(answer.StatusCode == HttpStatusCode.Unauthorized, $"a token signed with the stored bytes of {row.KeyId} was accepted: {(int)answer.StatusCode}");
            Assert.True(SealedSecret.IsSealed(row.Secret), $"{row.KeyId} is stored in plaintext");
        }
    }

    [Fact]
    public async Task A_node_with_another_key_encryption_key_refuses_to_start_instead_of_signing_with_keys_it_cannot_open()
    {
        await using (await TestService.StartAsync(backend))
        {
        }

        var other = "Secrets:KeyEncryptionKey=" + KeyEncryptionKey.New().ToBase64();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => TestService.StartAsync(backend, null, other));
        Assert.Contains("not configured here", e.Message);
    }

    [Fact]
    public async Task A_rotated_key_encryption_key_opens_the_old_keys_and_reseal_moves_them_to_the_new_one()
    {
        await using (await TestService.StartAsync(backend))
        {
        }

        var newer = KeyEncryptionKey.New();
        var data = Directory.CreateTempSubdirectory("meterai-kek-rotation-").FullName;
        try
        {
            await using (await TestService.StartAsync(backend, data))
            {
            }

            await using (var service = await TestService.StartAsync(backend, data, $"Secrets:KeyEncryptionKey={TestSecrets.KeyEncryptionKey},{newer.ToBase64()}"))
            {
                var sealer = service.Service<SecretSealer>();
                Assert.Equal(newer.Id, sealer.Current.Id);
                var token = await service.OperatorTokenAsync("issuer_admin");
                Assert.Equal(HttpStatusCode.OK, (await GetIssuerAsync(service, token)).StatusCode);
                // What `meterai kek reseal` does.
                Assert.True(await new SealedTokenSigningKeyStore(service.Database.TokenSigningKeys, sealer).ResealAsync(Ct) > 0);
                Assert.True(Pdf.Signing.DevelopmentIssuer.Reseal(data, sealer));
                Assert.All(await service.Database.TokenSigningKeys.ListAsync(Ct), k => Assert.Equal(newer.Id, SealedSecret.KeyIdOf(k.Secret)));
            }

            // The old key-encryption key can go now: the newer one alone opens every key.
            await using (await TestService.StartAsync(backend, data, "Secrets:KeyEncryptionKey=" + newer.ToBase64()))
            {
            }
        }
        finally
        {
            // Back to the test key (the other tests of this class share the database): the same rotation the other way.
            var back = new SecretSealer([newer, TestSecrets.Sealer.Current]);
            await using var db = await backend.OpenAsync();
            await new SealedTokenSigningKeyStore(db.TokenSigningKeys, back).ResealAsync(Ct);
        }
    }

    private static async Task<HttpResponseMessage> GetIssuerAsync(TestService service, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/issuer");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await service.Http.SendAsync(request, Ct);
    }
}

public sealed class SqliteSecretsAtRestTests(SqliteBackend backend) : SecretsAtRestContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresSecretsAtRestTests(PostgresBackend backend) : SecretsAtRestContract(backend), IClassFixture<PostgresBackend>;

/// <summary>
/// Issue 10 item 5, the upgrade: a database written before sealing holds its token signing key in plaintext; the first
/// node to start seals it in place, and tokens signed with it before (the key is the same) keep working.
/// </summary>
public abstract class PlaintextKeyUpgradeContract(DatabaseBackend backend)
{
    [Fact]
    public async Task A_plaintext_key_is_sealed_in_place_on_first_start_and_still_signs()
    {
        var plaintext = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await using (var db = await backend.OpenAsync())
        {
            // What the previous version wrote on its first start.
            Assert.True((await db.TokenSigningKeys.AddAsync(new TokenSigningKey("k1", plaintext, DateTimeOffset.UtcNow.AddHours(-1)), TestContext.Current.CancellationToken)).IsOk);
        }

        await using var service = await TestService.StartAsync(backend);
        var token = await service.OperatorTokenAsync("issuer_admin");

        Assert.Equal("k1", ForgedTokens.KeyIdOf(token));
        Assert.True(ForgedTokens.IsSignedWith(token, plaintext), "the node signs with another key than the one it upgraded");
        var stored = Assert.Single(await service.Database.TokenSigningKeys.ListAsync(TestContext.Current.CancellationToken));
        Assert.True(SealedSecret.IsSealed(stored.Secret), "the plaintext key is still stored in plaintext");
        Assert.Equal(plaintext, TestSecrets.Sealer.Open(stored.Secret, SealedTokenSigningKeyStore.Purpose("k1")).Value);
    }
}

public sealed class SqlitePlaintextKeyUpgradeTests(SqliteBackend backend) : PlaintextKeyUpgradeContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresPlaintextKeyUpgradeTests(PostgresBackend backend) : PlaintextKeyUpgradeContract(backend), IClassFixture<PostgresBackend>;
