namespace Petitions.Web.Data;

/// <summary>
/// Counted signatures of one petition from one country, kept by CountingWorker in the same statement as
/// <see cref="Petition.SignatureCount"/>, so the JSON API never groups a petition's signatures per request.
/// </summary>
public class PetitionCountryCount
{
    public long PetitionId { get; set; }
    public required string Country { get; set; }
    public int Count { get; set; }
}
