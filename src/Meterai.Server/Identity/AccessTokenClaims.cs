namespace Meterai.Server.Identity;

/// <summary>The claim types of an authenticated request (the same names as the token's payload members).</summary>
public static class AccessTokenClaims
{
    public const string Subject = "sub";
    public const string Kind = "knd";
    public const string Channel = "chn";
    public const string Role = "rol";
    public const string ApiKey = "akid";
}
