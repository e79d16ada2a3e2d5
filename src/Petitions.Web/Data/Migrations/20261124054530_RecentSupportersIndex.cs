using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RecentSupportersIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_signatures_petition_id_confirmed_at",
                table: "signatures");

            migrationBuilder.CreateIndex(
                name: "ix_signatures_public_recent",
                table: "signatures",
                columns: new[] { "petition_id", "confirmed_at" },
                descending: new[] { false, true },
                filter: "state = 'Confirmed' AND show_publicly");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_signatures_public_recent",
                table: "signatures");

            migrationBuilder.CreateIndex(
                name: "ix_signatures_petition_id_confirmed_at",
                table: "signatures",
                columns: new[] { "petition_id", "confirmed_at" });
        }
    }
}
