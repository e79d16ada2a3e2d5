namespace Petitions.Web.Data.Sql;

/// <summary>The "my signatures" links (Features/MySignatures).</summary>
public static class MySignaturesSql
{
    /// <summary>$1 token hash, $2 "now": spends the link and returns its address, only if it was unused and unexpired.</summary>
    public const string Spend =
        """
        UPDATE signer_access_links SET used_at = $2
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
        RETURNING normalized_email
        """;
}
