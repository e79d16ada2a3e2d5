using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryLanguage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "language",
                table: "deliveries",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "en");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "language",
                table: "deliveries");
        }
    }
}
