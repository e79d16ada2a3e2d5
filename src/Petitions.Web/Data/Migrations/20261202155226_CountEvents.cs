using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CountEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "count_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    petition_id = table.Column<long>(type: "bigint", nullable: false),
                    delta = table.Column<int>(type: "integer", nullable: false),
                    country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_count_events", x => x.id);
                });

            // Confirmations the counter had not reached yet become events, so none is lost or counted twice.
            migrationBuilder.Sql(
                """
                INSERT INTO count_events (petition_id, delta, country)
                SELECT petition_id, count(*)::int, country FROM signatures WHERE state = 'Confirmed' AND NOT counted
                GROUP BY petition_id, country
                """);

            migrationBuilder.DropIndex(
                name: "ix_signatures_uncounted",
                table: "signatures");

            migrationBuilder.DropColumn(
                name: "counted",
                table: "signatures");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "count_events");

            migrationBuilder.AddColumn<bool>(
                name: "counted",
                table: "signatures",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // The counts already include every event applied; the start-up recount repairs the rest.
            migrationBuilder.Sql("UPDATE signatures SET counted = true WHERE state = 'Confirmed'");

            migrationBuilder.CreateIndex(
                name: "ix_signatures_uncounted",
                table: "signatures",
                column: "id",
                filter: "state = 'Confirmed' AND NOT counted");
        }
    }
}
