using System.Buffers.Binary;

namespace Nexus.Web.Tests.Support;

/// <summary>
/// The fields of an ASP.NET Core Identity password hash in format 3 (base64): a marker byte 0x01,
/// then the PRF, the PBKDF2 iteration count and the salt's length, each a big-endian 32-bit number.
/// </summary>
public sealed record PasswordHashFormat(byte Marker, uint Prf, uint Iterations, uint SaltLength)
{
    /// <summary>KeyDerivationPrf.HMACSHA512.</summary>
    public const uint HmacSha512 = 2;

    public static PasswordHashFormat Read(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        return new(bytes[0], BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)),
            BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9)));
    }
}
