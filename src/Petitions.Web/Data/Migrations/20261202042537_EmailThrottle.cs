using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class EmailThrottle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "email_throttle",
                columns: table => new
                {
                    address_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    sent_at = table.Column<DateTimeOffset[]>(type: "timestamp with time zone[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_throttle", x => x.address_hash);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "email_throttle");
        }
    }
}
