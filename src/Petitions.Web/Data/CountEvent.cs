namespace Petitions.Web.Data;

/// <summary>
/// One change to a petition's count not yet applied: +1 when a signature is confirmed, −n when signatures stop counting
/// (invalidated, withdrawn), +n when they count again. Written in the transaction that changes the signatures, consumed
/// and deleted by CountingWorker, so a signature row is written twice (insert, confirm) and no request updates the
/// petition row.
/// </summary>
public class CountEvent
{
    public long Id { get; set; }
    public long PetitionId { get; set; }
    public int Delta { get; set; }
    public required string Country { get; set; }
}
