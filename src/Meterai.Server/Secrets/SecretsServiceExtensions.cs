using Meterai.Core.Secrets;
using Meterai.Storage;
using Meterai.Storage.Secrets;

namespace Meterai.Server.Secrets;

/// <summary>
/// Secrets at rest: the data folder made owner-only before anything is written to it, and the key-encryption keys
/// that seal the token signing keys and the issuer's key password (<see cref="KeyEncryptionKeyFile"/>).
/// Configuration: <c>Secrets:KeyEncryptionKey</c> (base64, comma separated, oldest first) or
/// <c>Secrets:KeyEncryptionKeyFile</c> (one base64 key a line); Production refuses to start with neither. In
/// Development with neither, the key file is generated at <see cref="KeyEncryptionKeyFile.DevelopmentPath"/>.
/// </summary>
public static class SecretsServiceExtensions
{
    public static WebApplicationBuilder AddSecrets(this WebApplicationBuilder builder, DatabaseOptions database)
    {
        DataFolder.Secure(database.DataDirectory);
        builder.Services.AddSingleton(Read(builder.Configuration, builder.Environment));
        return builder;
    }

    public static SecretSealer Read(IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection("Secrets");
        if (section["KeyEncryptionKey"] is { Length: > 0 } inline) return KeyEncryptionKeyFile.FromText(inline);
        if (section["KeyEncryptionKeyFile"] is { Length: > 0 } file)
        {
            return environment.IsDevelopment() ? KeyEncryptionKeyFile.LoadOrCreate(file) : KeyEncryptionKeyFile.Load(file);
        }

        if (environment.IsDevelopment()) return KeyEncryptionKeyFile.LoadOrCreate(KeyEncryptionKeyFile.DevelopmentPath);
        throw new InvalidOperationException(
            $"{environment.EnvironmentName} needs a key-encryption key outside the database and the data folder: set Secrets:KeyEncryptionKeyFile " +
            "(METERAI_Secrets__KeyEncryptionKeyFile; create it with `meterai kek create --file PATH`) or Secrets:KeyEncryptionKey. " +
            "Only the Development environment generates one by itself.");
    }
}
