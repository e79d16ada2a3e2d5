global using Petitions.Web.Domain;
