namespace Meterai.Core.Stamping;

/// <summary>Where a stamp request stands. Stored as a small integer; values never change.</summary>
public enum StampState : short
{
    /// <summary>A large file waiting for a job worker (quota and serial already reserved).</summary>
    Queued = 1,

    /// <summary>A node holds the lease and works on it (or held it and died: the lease says until when).</summary>
    Processing = 2,

    /// <summary>Stamped: the serial is bound to the output's SHA-256 and the stamp is consumed in the ledger.</summary>
    Completed = 3,

    /// <summary>Refused or given up; nothing was charged (the reservation was voided, the serial released).</summary>
    Failed = 4,
}
